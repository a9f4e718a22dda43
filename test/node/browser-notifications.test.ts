/**
 * Notifications in a real browser. alice (her laptop, where Chromium is told to allow
 * notifications, and her phone-sized second browser, where nobody answered yet) and bob
 * are in Zebra Club. The tab's title and favicon count what mentions alice; a mention
 * while her tab is hidden shows a desktop notification with the decrypted text; the
 * prompt to turn them on comes only after such a message, never on load; a muted
 * community shows none and its badges go quiet; Do Not Disturb lets through only what
 * she allows; a level she picks shows on her other browser at once; hiding message
 * text says "New message from bob".
 *
 * Hidden tabs: headless Chromium keeps every page visible (another tab in front or a
 * minimised window leaves `visibilityState` at "visible"; tried), so `hideTab` overrides
 * the two properties the page reads, `document.visibilityState` and `document.hidden`,
 * and fires the `visibilitychange` event the browser would; `showTab` removes them.
 * Shown notifications are read back from the service worker's registration.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { waitUntilConnected } from "../support/browser.ts";
import { browserJourney, channelLink, communityLink } from "../support/browser-journey.ts";
import { seriousAxeFindings } from "../support/axe.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
const LIVE_TIMEOUT_MS = 10_000;

const journey = browserJourney("browser_notifications", { ADMIN_USERNAME: "alice" });
let aliceAccount: Account;
let bobAccount: Account;
let zebraId = "";
let generalId = "";
let randomId = "";
let dmId = "";
/** alice's laptop: notifications allowed. */
let alice: Page;
/** alice's second browser: nobody asked it yet. */
let aliceAgain: Page;
let bob: Page;

interface Shown {
  title: string;
  body: string;
  tag: string;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  bobAccount = await registerOn(journey.server, "bob", PASSWORD);
  zebraId = (await asAlice("POST", "/api/communities", { name: "Zebra Club" })).community.id;
  randomId = (await asAlice("POST", `/api/communities/${zebraId}/channels`, { name: "random" })).channel.id;
  const { channels } = await asAlice("GET", `/api/communities/${zebraId}/channels`);
  generalId = channels.find((channel: { name: string }) => channel.name === "general").id;
  const { code } = await asAlice("POST", `/api/communities/${zebraId}/invites`, {});
  const joined = await call(journey.server, "/api/community-invites/accept", {
    body: { code },
    token: bobAccount.token,
  });
  expect(joined.status, joined.text).toBe(200);
  const dm = await call(journey.server, "/api/dms", { body: { userIds: [aliceAccount.id] }, token: bobAccount.token });
  expect(dm.status, dm.text).toBeLessThan(300);
  dmId = dm.body.channel.id;

  [alice, aliceAgain, bob] = await Promise.all([journey.openPage(), journey.openPage(), journey.openPage()]);
  await alice.context().grantPermissions(["notifications"], { origin: journey.server.url });
  await alice.setViewportSize({ width: 1280, height: 760 });
  await Promise.all([signIn(alice, "alice"), signIn(bob, "bob")]);
  await Promise.all([openChannel(alice, "#general"), openChannel(bob, "#general")]);
  // Each opens #random too, so both devices hold its keys.
  await Promise.all([openChannel(alice, "#random"), openChannel(bob, "#random")]);
  await openChannel(alice, "#general");
});

beforeEach(({ onTestFailed, task }) => {
  onTestFailed(async () => {
    for (const [name, page] of [
      ["alice", alice],
      ["aliceAgain", aliceAgain],
      ["bob", bob],
    ] as const)
      await page?.screenshot({ path: `/tmp/n3-${task.name.slice(0, 20)}-${name}.png` }).catch(() => undefined);
  });
});

describe("the tab", () => {
  it("names the open channel and its community in alice's title", async () => {
    await expect.poll(() => alice.title()).toBe("#general | Zebra Club");
    expect(await faviconHref(alice)).toBe("/favicon.svg");
  });

  it("counts bob's mention of alice in #random in her title and favicon, and not his other messages", async () => {
    await send(bob, "#random", "@alice the zebra feed arrived");
    await expect.poll(() => alice.title(), { timeout: LIVE_TIMEOUT_MS }).toBe("(1) #general | Zebra Club");
    await expect.poll(() => faviconBadgeIsRed(alice)).toBe(true);
    // #general is open, not #random: a mention elsewhere notifies even in a visible tab (its text
    // or "New message from bob", depending on whether her device has taken #random's newest key yet).
    await expect
      .poll(async () => (await notificationsOf(alice)).map(({ tag }) => tag), { timeout: LIVE_TIMEOUT_MS })
      .toEqual([randomId]);
    await clearNotifications(alice);
    await send(bob, "#random", "it is in the shed");
    await waitForUnread(alice, "#random", "2 unread messages, 1 mention");
    expect(await alice.title()).toBe("(1) #general | Zebra Club");

    await openChannel(alice, "#random");
    await alice.getByRole("log").getByText("it is in the shed", { exact: true }).waitFor();
    await expect.poll(() => alice.title()).toBe("#random | Zebra Club");
    await expect.poll(() => faviconHref(alice)).toBe("/favicon.svg");
  });
});

describe("desktop notifications", () => {
  it("shows alice bob's mention, decrypted, while her tab is hidden", async () => {
    await openChannel(alice, "#general");
    await expect.poll(() => alice.title()).toBe("#general | Zebra Club");
    await hideTab(alice);
    await send(bob, "#general", "@alice the zebras escaped");
    await expect
      .poll(() => notificationsOf(alice), { timeout: LIVE_TIMEOUT_MS })
      .toEqual([{ title: "bob (#general, Zebra Club)", body: "@alice the zebras escaped", tag: generalId }]);
    // Hidden, the open channel counts too: she has not read it. The count follows the
    // account socket's activity, coalesced up to a second, so it may trail the notification.
    await expect.poll(() => alice.title(), { timeout: LIVE_TIMEOUT_MS }).toBe("(1) #general | Zebra Club");
    await showTab(alice);
    await expect.poll(() => alice.title()).toBe("#general | Zebra Club");
    await clearNotifications(alice);
  });

  it("asks alice's second browser only once a mention arrives while its tab is hidden, never on load", async () => {
    await openChannel(alice, "#random");
    await signIn(aliceAgain, "alice");
    await openChannel(aliceAgain, "#random");
    const prompt = aliceAgain.getByRole("region", { name: "Turn on desktop notifications?" });
    // Visible, a mention changes the title and asks nothing.
    await send(bob, "#general", "@alice are you there?");
    await expect.poll(() => aliceAgain.title(), { timeout: LIVE_TIMEOUT_MS }).toBe("(1) #random | Zebra Club");
    expect(await prompt.count()).toBe(0);

    await hideTab(aliceAgain);
    await send(bob, "#general", "@alice hello?");
    await prompt.waitFor({ timeout: LIVE_TIMEOUT_MS });
    await showTab(aliceAgain);
    expect(await aliceAgain.evaluate(() => Notification.permission)).toBe("default");

    // The browser answers yes to the page's request, as a person clicking Allow would.
    await aliceAgain.context().grantPermissions(["notifications"], { origin: journey.server.url });
    await prompt.getByRole("button", { name: "Turn on" }).click();
    await prompt.waitFor({ state: "detached" });
    expect(await aliceAgain.evaluate(() => Notification.permission)).toBe("granted");
    await aliceAgain.reload();
    await channelLink(aliceAgain, "#general").waitFor();
    expect(await prompt.count()).toBe(0);
    // alice's laptop, in #random, heard both mentions.
    await expect
      .poll(() => notificationsOf(alice))
      .toEqual([{ title: "bob (#general, Zebra Club)", body: "@alice hello?", tag: generalId }]);
    await clearNotifications(alice);
  });

  it("shows nothing for muted Zebra Club, whose badges go quiet, while bob's DM still notifies", async () => {
    await openChannel(alice, "#general");
    await openChannel(alice, "#random");
    await openCommunityMenu(alice);
    await alice.getByRole("button", { name: "Mute Zebra Club" }).click();
    await alice.getByRole("button", { name: "For 1 hour" }).click();
    await hideTab(alice);
    await send(bob, "#general", "@alice muted, so quiet");
    await waitForUnread(alice, "#general", "muted, new messages");
    expect(await alice.title()).toBe("#random | Zebra Club");
    expect(await channelLink(alice, "#general").locator(".unread-badge.is-quiet").count()).toBe(1);

    // Her device has not opened this conversation yet, so holds no key for it: the sender's name only.
    await sendDm(bob, "you will see this one");
    await expect
      .poll(() => notificationsOf(alice), { timeout: LIVE_TIMEOUT_MS })
      .toEqual([{ title: "bob", body: "New message from bob", tag: dmId }]);
    await showTab(alice);
    await clearNotifications(alice);

    await openSettings(alice);
    const muted = alice.getByRole("region", { name: "Muted" });
    await muted.locator("strong", { hasText: "Zebra Club" }).waitFor();
    await muted.getByRole("button", { name: "Unmute Zebra Club" }).click();
    await muted.getByText("Nothing is muted.", { exact: false }).waitFor();
  });

  it("keeps Do Not Disturb silent but for the DMs alice allows", async () => {
    await alice.getByRole("radio", { name: "Direct messages", exact: true }).check();
    await closeSettings(alice);
    await alice.goto(`${journey.server.url}/dms/${dmId}`);
    await alice.getByRole("log").getByText("you will see this one", { exact: true }).waitFor();
    await alice.getByLabel("Your status").selectOption("dnd");
    await openChannel(alice, "#random");
    await hideTab(alice);
    await send(bob, "#general", "@alice while you are busy");
    // The mention is counted (so it arrived) before the DM is sent.
    await waitForUnread(alice, "#general", "mention");
    await sendDm(bob, "but this is a DM");
    await expect
      .poll(() => notificationsOf(alice), { timeout: LIVE_TIMEOUT_MS })
      .toEqual([{ title: "bob", body: "but this is a DM", tag: dmId }]);
    await showTab(alice);
    await clearNotifications(alice);
    await alice.getByLabel("Your status").selectOption("online");
    await openChannel(alice, "#general");
  });
});

describe("levels", () => {
  it("saves alice's level for #general and shows it on her other browser without reloading", async () => {
    await openChannelMenu(aliceAgain, "#general");
    const allOnPhone = aliceAgain.getByRole("radio", { name: "All messages" });
    expect(await allOnPhone.isChecked()).toBe(false);
    expect(await aliceAgain.getByRole("radio", { name: "Use the community's (Only @mentions)" }).isChecked()).toBe(
      true,
    );

    await openChannelMenu(alice, "#general");
    await alice.getByRole("radio", { name: "All messages" }).check();
    await alice.screenshot({ path: join(SCREENSHOTS, "notification-menu.png") });
    await expect.poll(() => allOnPhone.isChecked(), { timeout: LIVE_TIMEOUT_MS }).toBe(true);
    await alice.keyboard.press("Escape");
    await aliceAgain.keyboard.press("Escape");

    await openChannel(alice, "#random");
    await hideTab(alice);
    await send(bob, "#general", "a plain message, no mention");
    await expect
      .poll(() => notificationsOf(alice), { timeout: LIVE_TIMEOUT_MS })
      .toEqual([{ title: "bob (#general, Zebra Club)", body: "a plain message, no mention", tag: generalId }]);
    await showTab(alice);
    await clearNotifications(alice);
  });

  it("says only 'New message from bob' once alice hides message text", async () => {
    await openSettings(alice);
    await alice.getByRole("checkbox", { name: /Hide message text in notifications/ }).check();
    await closeSettings(alice);
    await hideTab(alice);
    await send(bob, "#general", "@alice a secret plan");
    await expect
      .poll(() => notificationsOf(alice), { timeout: LIVE_TIMEOUT_MS })
      .toEqual([{ title: "#general, Zebra Club", body: "New message from bob", tag: generalId }]);
    await showTab(alice);
    await clearNotifications(alice);
  });
});

describe("Settings > Notifications", () => {
  it("shows alice her device's state and the shared choices, with no serious axe findings", async () => {
    await openSettings(alice);
    const desktop = alice.getByRole("region", { name: "Desktop notifications on this device" });
    await desktop.getByText("Your browser lets Chatalot show notifications.").waitFor();
    await desktop.getByRole("button", { name: "Send a test notification" }).click();
    await expect
      .poll(() => notificationsOf(alice))
      .toEqual([{ title: "Chatalot", body: "This is how a new message will show.", tag: "chatalot-test" }]);
    await clearNotifications(alice);
    expect(await seriousAxeFindings(alice, ".settings-content")).toEqual([]);
    await alice.screenshot({ path: join(SCREENSHOTS, "notification-settings.png"), fullPage: true });
    expect(journey.problems).toEqual([]);
  });
});

async function asAlice(method: string, path: string, body?: unknown) {
  const answer = await call(journey.server, path, { method, body, token: aliceAccount.token });
  expect(answer.status, answer.text).toBeLessThan(300);
  return answer.body;
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${journey.server.url}/sign-in`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await channelLink(page, "#general").waitFor();
}

async function openChannel(page: Page, name: string): Promise<void> {
  if (!(await channelLink(page, name).isVisible())) await communityLink(page, "Zebra Club").click();
  await channelLink(page, name).click();
  await page.getByRole("heading", { name, exact: true }).waitFor();
  await waitUntilConnected(page);
}

/** bob sends from the channel's composer and waits for the server's ack. */
async function send(page: Page, channel: string, text: string): Promise<void> {
  await openChannel(page, channel);
  await page.getByLabel(`Message ${channel}`).fill(text);
  await page.getByLabel(`Message ${channel}`).press("Enter");
  await page.getByRole("log").getByText(text, { exact: true }).waitFor();
  await page.getByRole("log").getByText("Sending…").waitFor({ state: "detached" });
}

async function sendDm(page: Page, text: string): Promise<void> {
  await page.goto(`${journey.server.url}/dms/${dmId}`);
  await waitUntilConnected(page);
  const composer = page.getByRole("main").getByRole("textbox").first();
  await composer.fill(text);
  await composer.press("Enter");
  await page.getByRole("log").getByText(text, { exact: true }).waitFor();
  await page.getByRole("log").getByText("Sending…").waitFor({ state: "detached" });
}

async function openCommunityMenu(page: Page): Promise<void> {
  if (!(await page.getByRole("button", { name: "Zebra Club" }).isVisible()))
    await communityLink(page, "Zebra Club").click();
  await page.getByRole("button", { name: "Zebra Club" }).click();
  await page.getByRole("list", { name: "Zebra Club menu" }).waitFor();
}

async function openChannelMenu(page: Page, channel: string): Promise<void> {
  if (!(await channelLink(page, channel).isVisible())) await communityLink(page, "Zebra Club").click();
  // The row's buttons show on hover or focus, as Discord's.
  await channelLink(page, channel).hover();
  await page.getByRole("button", { name: `Options for ${channel}` }).click();
  await page.getByRole("list", { name: `${channel} menu` }).waitFor();
}

async function openSettings(page: Page): Promise<void> {
  await page.goto(`${journey.server.url}/settings/notifications`);
  await page.getByRole("heading", { name: "Notifications", level: 1 }).waitFor();
}

async function closeSettings(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Close settings" }).click();
  await page.getByRole("heading", { name: "Notifications", level: 1 }).waitFor({ state: "detached" });
}

async function waitForUnread(page: Page, channel: string, words: string): Promise<void> {
  await expect
    .poll(
      () =>
        channelLink(page, channel)
          .getAttribute("aria-describedby")
          .then((id) => describedBy(page, id)),
      {
        timeout: LIVE_TIMEOUT_MS,
      },
    )
    .toContain(words);
}

async function describedBy(page: Page, ids: string | null): Promise<string> {
  if (!ids) return "";
  return page.evaluate(
    (list) =>
      list
        .split(" ")
        .map((id) => document.getElementById(id)?.textContent ?? "")
        .join(" "),
    ids,
  );
}

/** As if the person switched to another tab: see the file's opening comment. */
async function hideTab(page: Page): Promise<void> {
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
}

async function showTab(page: Page): Promise<void> {
  await page.evaluate(() => {
    Reflect.deleteProperty(document, "visibilityState");
    Reflect.deleteProperty(document, "hidden");
    document.dispatchEvent(new Event("visibilitychange"));
  });
}

function notificationsOf(page: Page): Promise<Shown[]> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map(({ title, body, tag }) => ({ title, body, tag }));
  });
}

async function clearNotifications(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (const notification of await (await navigator.serviceWorker.ready).getNotifications()) notification.close();
  });
}

const faviconHref = (page: Page) =>
  page.evaluate(() => document.querySelector('link[rel="icon"]')?.getAttribute("href") ?? "");

/** The favicon is a drawn PNG whose lower right (the badge) is red. */
function faviconBadgeIsRed(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const href = document.querySelector('link[rel="icon"]')?.getAttribute("href") ?? "";
    if (!href.startsWith("data:image/png")) return false;
    const image = new Image();
    image.src = href;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 64;
    const context = canvas.getContext("2d")!;
    context.drawImage(image, 0, 0);
    const [red, green, blue] = context.getImageData(45, 60, 1, 1).data;
    return red! > 180 && green! < 100 && blue! < 100;
  });
}
