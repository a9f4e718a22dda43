/**
 * The timeline in a real browser, as Discord's cozy mode shows it: alice, bob and
 * carol talk in #general over two days (their browsers' clocks set to yesterday
 * afternoon, then today); each person's consecutive messages share one header,
 * days have dividers, timestamps say the full date on hover, the actions are a
 * small labelled icon toolbar that covers no neighbour, reactions come from the
 * full picker and say who reacted, "(edited)" opens the earlier versions. Carol,
 * away while bob writes, finds a "New" divider and a bar to jump to it; scrolled
 * up, she jumps back to the present. Dave reads on a phone: a long press opens
 * the actions as a sheet. One journey, in order; each step builds on the last.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { seriousAxeFindings } from "../support/axe.ts";
import { call, createCommunityWith, registerOn } from "../support/accounts.ts";
import {
  browserJourney,
  channelLink,
  messageItem,
  openGeneral,
  signInToGeneral,
  waitUntilDelivered,
} from "../support/browser-journey.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
/** A first message sets up its channel's encryption on a machine shared with other tests. */
const DELIVERY_TIMEOUT_MS = 30_000;
const LIVE_TIMEOUT_MS = 5_000;
const MINUTE_MS = 60_000;
/** axe-core, evaluated in the page (as DevTools does: the page's CSP does not apply to it). */
/** More than one screen of bob's messages while carol is away. */
const MISSED_MESSAGES = 30;

const journey = browserJourney("browser_timeline", {
  COMMUNITY_CREATION_MODE: "open",
  // Bob writes a burst of messages from the composer faster than the per-socket frame limit allows.
  SOCKET_FRAMES_PER_SECOND: "1000",
});
let alice: Page;
let bob: Page;
let carol: Page;
/** Dave's phone: a touch screen. */
let dave: Page;

/** Today at `hour`:`minute`, on the machine's clock (the browsers share its time zone). */
function todayAt(hour: number, minute: number): Date {
  const day = new Date();
  day.setHours(hour, minute, 0, 0);
  return day;
}

/** Yesterday at `hour`:`minute`, on the machine's clock. */
function yesterdayAt(hour: number, minute: number): Date {
  const day = todayAt(hour, minute);
  day.setDate(day.getDate() - 1);
  return day;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  const [bobAccount, carolAccount, daveAccount] = await Promise.all(
    ["bob", "carol", "dave"].map((name) => registerOn(journey.server, name, PASSWORD)),
  );
  await createCommunityWith(journey.server, aliceAccount, "Acme", [bobAccount!, carolAccount!, daveAccount!]);
  const communities = await call(journey.server, "/api/communities", { token: aliceAccount.token });
  const acmeId = communities.body.communities[0].id;
  const random = await call(journey.server, `/api/communities/${acmeId}/channels`, {
    token: aliceAccount.token,
    body: { name: "random" },
  });
  expect(random.status, random.text).toBe(201);

  [alice, bob, carol] = await Promise.all([journey.openPage(), journey.openPage(), journey.openPage()]);
  dave = await openPhone();
  // The conversation starts yesterday afternoon; each browser's clock runs on from there.
  const start = yesterdayAt(16, 0);
  await Promise.all([alice, bob, carol, dave].map((page) => page.clock.install({ time: start })));
  await Promise.all(
    [alice, bob, carol, dave].map((page, index) =>
      signInToGeneral(page, journey.server.url, ["alice", "bob", "carol", "dave"][index]!, PASSWORD),
    ),
  );
  await Promise.all([alice, bob, carol, dave].map(openGeneral));
});

/** A phone in a context of its own: a touch screen, no hover; its problems go with the others. */
async function openPhone(): Promise<Page> {
  const context = await journey.browser.newContext({
    viewport: { width: 390, height: 760 },
    deviceScaleFactor: 2,
    hasTouch: true,
    isMobile: true,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on("pageerror", (error) => journey.problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text()))
      journey.problems.push(`console: ${message.text()}`);
  });
  return page;
}

/** Sends `text` from `page`'s composer at `at` on its clock; done once the server stored it. */
async function send(page: Page, text: string, at?: Date): Promise<void> {
  if (at) await page.clock.setSystemTime(at);
  const composer = page.getByLabel("Message #general");
  await composer.fill(text);
  await composer.press("Enter");
  await waitUntilDelivered(page, DELIVERY_TIMEOUT_MS);
}

/** Whether two boxes share any area. */
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
type Box = { x: number; y: number; width: number; height: number };

const log = (page: Page) => page.getByRole("log");
/** The visual message (header, words, toolbar) inside a list item, without the dividers above it. */
const bubble = (item: Locator) => item.locator(".message");

describe("alice, bob and carol's two days in #general", () => {
  it("groups bob's consecutive messages under one header, and starts again after a pause", async () => {
    await send(alice, "Who is around for the release tomorrow?", yesterdayAt(16, 2));
    await send(bob, "I am, all afternoon", yesterdayAt(16, 4));
    await send(bob, "Bringing the checklist", yesterdayAt(16, 5));
    await send(carol, "Count me in 🎉", yesterdayAt(16, 21));
    await send(bob, "Who has the keys to the lab?", yesterdayAt(16, 40));

    const first = messageItem(alice, "I am, all afternoon");
    const second = messageItem(alice, "Bringing the checklist");
    await second.waitFor({ timeout: LIVE_TIMEOUT_MS });
    await messageItem(alice, "Who has the keys to the lab?").waitFor({ timeout: LIVE_TIMEOUT_MS });
    // The first carries bob's avatar and name; the second sits under them, its sender for screen readers only.
    expect(await first.locator(".message-meta").innerText()).toMatch(/^bob/);
    expect(await first.locator(".message-gutter .avatar").count()).toBe(1);
    expect(await second.locator(".message-meta").count()).toBe(0);
    expect(await second.locator(".message-gutter .avatar").count()).toBe(0);
    expect(await second.innerText()).toContain("bob");
    // Thirty-five minutes later bob starts a new group.
    expect(await messageItem(alice, "Who has the keys to the lab?").locator(".message-meta").count()).toBe(1);
  });

  it("divides the days and shows a message's full date and time on hover", async () => {
    // "Today" starts half an hour ago: just after midnight the browsers' clocks run a little ahead.
    const now = Math.max(Date.now(), todayAt(0, 31).getTime());
    await Promise.all([alice, bob, carol, dave].map((page) => page.clock.setSystemTime(now)));
    await send(alice, "Morning! The build is green", new Date(now - 30 * MINUTE_MS));
    await send(alice, "Tagging v2.4 at eleven", new Date(now - 29 * MINUTE_MS));
    await messageItem(bob, "Who is around for the release tomorrow?")
      .getByRole("button", { name: "Reply", exact: true })
      .click();
    await send(bob, "Great, I will write the notes", new Date(now - 20 * MINUTE_MS));
    await send(carol, "The notes look good to me", new Date(now - 12 * MINUTE_MS));

    await messageItem(alice, "The notes look good to me").waitFor({ timeout: LIVE_TIMEOUT_MS });
    const separators = log(alice).getByRole("separator");
    expect(await separators.evaluateAll((lines) => lines.map((line) => line.getAttribute("aria-label")))).toEqual([
      "Yesterday",
      "Today",
    ]);
    const today = messageItem(alice, "Morning! The build is green");
    expect(await today.getByRole("separator", { name: "Today" }).count()).toBe(1);

    const time = today.locator(".message-meta time");
    const title = (await time.getAttribute("title")) ?? "";
    expect(Date.parse((await time.getAttribute("datetime")) ?? "")).toBeGreaterThan(now - 31 * MINUTE_MS);
    expect(title).toContain(String(new Date().getFullYear()));
    // A grouped message shows its time in the gutter only while pointed at.
    const grouped = messageItem(alice, "Tagging v2.4 at eleven");
    const gutterTime = grouped.locator(".gutter-time");
    expect(await gutterTime.isVisible()).toBe(false);
    await grouped.hover();
    expect(await gutterTime.isVisible()).toBe(true);
    expect(await gutterTime.getAttribute("title")).toContain(String(new Date().getFullYear()));
    // A reply always shows who wrote it.
    expect(await messageItem(alice, "Great, I will write the notes").locator(".message-meta").count()).toBe(1);
  });

  it("offers the actions as labelled icons that cover no neighbour, by mouse and by keyboard", async () => {
    const item = messageItem(alice, "Tagging v2.4 at eleven");
    await item.hover();
    const toolbar = item.getByRole("group", { name: "Actions for the message from alice" });
    const labels = await toolbar
      .getByRole("button")
      .evaluateAll((buttons) => buttons.map((button) => button.getAttribute("aria-label")));
    expect(labels).toEqual(["Reply", "React", "Reply in thread", "Edit", "Pin", "Delete", "More actions"]);
    // Icons only: the names are for screen readers and the tooltips.
    expect(await toolbar.getByRole("button").evaluateAll((buttons) => buttons.map((b) => b.textContent))).toEqual(
      labels.map(() => ""),
    );

    // Every message's toolbar, shown in turn, stays inside its own message, clear of the others' buttons.
    const items = log(alice).locator("li.timeline-item");
    const count = await items.count();
    for (let index = 0; index < count; index++) {
      const message = bubble(items.nth(index));
      await message.hover();
      const bar = message.locator(".message-actions");
      if ((await bar.count()) === 0) continue;
      const barBox = (await bar.boundingBox())!;
      const ownBox = (await message.boundingBox())!;
      expect(barBox.y).toBeGreaterThanOrEqual(ownBox.y);
      expect(barBox.y + barBox.height).toBeLessThanOrEqual(ownBox.y + ownBox.height + 0.5);
      for (const neighbour of [index - 1, index + 1].filter((other) => other >= 0 && other < count)) {
        const buttons = bubble(items.nth(neighbour)).locator("button:visible");
        for (const box of await buttons.evaluateAll((all) => all.map((button) => button.getBoundingClientRect()))) {
          if (box.width > 0) expect(overlaps(barBox, box), `message ${index} over ${neighbour}`).toBe(false);
        }
      }
    }

    // From the keyboard: Tab from the message reaches its first action, which shows its name.
    await bubble(item).focus();
    await alice.keyboard.press("Tab");
    expect(await alice.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Reply");
    expect(await toolbar.evaluate((bar) => getComputedStyle(bar).opacity)).toBe("1");
    await alice.screenshot({ path: join(SCREENSHOTS, "timeline-toolbar.png") });
  });

  it("lets carol and bob react from the picker, and alice see who reacted", async () => {
    for (const page of [carol, bob]) {
      const item = messageItem(page, "Morning! The build is green");
      await item.getByRole("button", { name: "React", exact: true }).click();
      const picker = page.getByRole("dialog", { name: "Add a reaction" });
      await picker.waitFor();
      // The whole emoji picker sits under the quick reactions.
      expect(await picker.getByRole("dialog", { name: "All emoji" }).count()).toBe(1);
      await picker.getByRole("button", { name: "React with party" }).click();
      await picker.waitFor({ state: "detached" });
    }
    const reaction = messageItem(alice, "Morning! The build is green").getByRole("button", { name: "party: 2" });
    await reaction.waitFor({ timeout: LIVE_TIMEOUT_MS });
    await reaction.hover();
    const tooltip = alice.getByRole("tooltip").filter({ hasText: "reacted with 🎉" });
    await tooltip.waitFor();
    expect(await tooltip.innerText()).toBe("carol and bob reacted with 🎉");
    expect(await reaction.getAttribute("aria-describedby")).toBe(await tooltip.getAttribute("id"));

    // Bob finds one in the whole picker by searching; it leads his quick reactions next time.
    await messageItem(bob, "Tagging v2.4 at eleven").getByRole("button", { name: "React", exact: true }).click();
    const picker = bob.getByRole("dialog", { name: "Add a reaction" });
    await picker.getByLabel("Search emoji").fill("rocket");
    await picker.getByLabel("Search emoji").press("Enter");
    await messageItem(alice, "Tagging v2.4 at eleven").getByRole("button", { name: "🚀: 1" }).waitFor();
    await messageItem(bob, "Count me in 🎉").getByRole("button", { name: "React", exact: true }).click();
    const quick = picker.getByRole("group", { name: "Quick reactions" }).getByRole("button");
    expect(await quick.first().getAttribute("aria-label")).toBe("React with 🚀");
    await bob.keyboard.press("Escape");
    await picker.waitFor({ state: "detached" });

    await messageItem(alice, "Count me in 🎉").getByRole("button", { name: "React", exact: true }).click();
    await alice.getByRole("button", { name: "React with thumbs up" }).click();
    await messageItem(alice, "Count me in 🎉").getByRole("button", { name: "thumbs up: 1" }).waitFor();
    expect(await timelineViolations(alice)).toEqual([]);
  });

  it("opens the versions of bob's edited message from (edited), decrypted on alice's device", async () => {
    await messageItem(bob, "Great, I will write the notes").getByRole("button", { name: "Edit", exact: true }).click();
    const editor = bob.getByLabel("Edit message");
    await editor.fill("Great, I will write the release notes");
    await editor.press("Enter");

    const item = messageItem(alice, "Great, I will write the release notes");
    const edited = item.getByRole("button", { name: "(edited)" });
    await edited.waitFor({ timeout: LIVE_TIMEOUT_MS });
    await edited.click();
    const history = alice.getByRole("dialog", { name: "Edit history" });
    const versions = history.getByRole("listitem");
    await expect.poll(() => versions.count(), { timeout: LIVE_TIMEOUT_MS }).toBe(2);
    expect(await versions.nth(0).innerText()).toMatch(/^Original[\s\S]*Great, I will write the notes$/);
    expect(await versions.nth(1).innerText()).toMatch(/^Current[\s\S]*Great, I will write the release notes$/);
    await alice.screenshot({ path: join(SCREENSHOTS, "timeline-edit-history.png") });
    await alice.keyboard.press("Escape");
    await history.waitFor({ state: "detached" });
    expect(await alice.evaluate(() => document.activeElement?.textContent)).toBe("(edited)");
  });

  it("packs the same conversation into single lines in the compact density", async () => {
    await alice.setViewportSize({ width: 1180, height: 980 });
    await alice.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await alice.mouse.move(0, 0);
    await scrollToBottom(alice);
    await alice.screenshot({ path: join(SCREENSHOTS, "timeline.png") });

    const item = messageItem(alice, "Morning! The build is green");
    const cozyHeight = (await bubble(item).boundingBox())!.height;
    await alice.evaluate(() => (document.documentElement.dataset.density = "compact"));
    expect(await item.locator(".message-gutter .avatar").isVisible()).toBe(false);
    expect((await bubble(item).boundingBox())!.height).toBeLessThan(cozyHeight);
    await scrollToBottom(alice);
    await alice.screenshot({ path: join(SCREENSHOTS, "timeline-compact.png") });
    await alice.evaluate(() => delete document.documentElement.dataset.density);
    await alice.setViewportSize({ width: 960, height: 600 });
  });

  it("opens a message's actions as a sheet when dave presses it long on his phone", async () => {
    const item = messageItem(dave, "Count me in 🎉");
    await item.scrollIntoViewIfNeeded();
    const box = (await bubble(item).boundingBox())!;
    const touch = await dave.context().newCDPSession(dave);
    const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await touch.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [point] });
    const sheet = dave.getByRole("dialog", { name: "Actions for the message from carol" });
    await sheet.waitFor();
    await touch.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    expect(await sheet.getByRole("button").allInnerTexts()).toEqual(
      expect.arrayContaining(["Reply", "Add a reaction", "Reply in thread", "Cancel"]),
    );
    await dave.screenshot({ path: join(SCREENSHOTS, "timeline-phone-sheet.png") });
    await sheet.getByRole("button", { name: "React with heart" }).click();
    await sheet.waitFor({ state: "detached" });
    await item.getByRole("button", { name: "heart: 1" }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await scrollToBottom(dave);
    await dave.screenshot({ path: join(SCREENSHOTS, "timeline-phone.png") });
  });

  it("shows carol a New divider where she stopped reading, and a bar to jump to it", async () => {
    await channelLink(carol, "#random").click();
    await carol.getByRole("heading", { name: "#random", exact: true }).waitFor();
    for (let index = 1; index <= MISSED_MESSAGES; index++) await send(bob, `Checklist item ${index}`);

    await channelLink(carol, "#general").click();
    await messageItem(carol, `Checklist item ${MISSED_MESSAGES}`).waitFor();
    const firstNew = log(carol)
      .getByRole("listitem")
      .filter({ has: carol.getByRole("separator", { name: "New messages start here" }) });
    expect(await firstNew.locator(".message-text").innerText()).toBe("Checklist item 1");
    const bar = carol.getByRole("region", { name: "New messages" });
    const jump = bar.getByRole("button", { name: new RegExp(`^${MISSED_MESSAGES} new messages since \\d`) });
    await jump.waitFor();
    await carol.screenshot({ path: join(SCREENSHOTS, "timeline-unread.png") });
    expect(await timelineViolations(carol)).toEqual([]);

    await jump.click();
    await bar.waitFor({ state: "detached" });
    expect(await carol.getByRole("separator", { name: "New messages start here" }).isVisible()).toBe(true);

    await scrollToBottom(carol);
    await bar.getByRole("button", { name: "Mark as read" }).click();
    await bar.waitFor({ state: "detached" });
    expect(await carol.getByRole("separator", { name: "New messages start here" }).count()).toBe(0);
  });

  it("offers carol, scrolled up, a way back to the present", async () => {
    const present = carol.getByRole("button", { name: "Jump to present" });
    expect(await present.count()).toBe(0);
    await carol.locator(".message-scroller").evaluate((scroller) => scroller.scrollTo({ top: 0 }));
    await present.click();
    await present.waitFor({ state: "detached" });
    const last = messageItem(carol, `Checklist item ${MISSED_MESSAGES}`);
    await expect.poll(() => last.isVisible()).toBe(true);
    const scrollerBox = (await carol.locator(".message-scroller").boundingBox())!;
    const lastBox = (await last.boundingBox())!;
    expect(lastBox.y + lastBox.height).toBeLessThanOrEqual(scrollerBox.y + scrollerBox.height + 1);
  });

  it("leaves no page error or CSP violation behind", () => {
    expect(journey.problems).toEqual([]);
  });
});

/** What axe finds critical or serious in the timeline (its dividers, toolbars, reactions, bars). */
const timelineViolations = (page: Page) => seriousAxeFindings(page, ".timeline-frame");

async function scrollToBottom(page: Page): Promise<void> {
  await page.locator(".message-scroller").evaluate((scroller) => scroller.scrollTo({ top: scroller.scrollHeight }));
}
