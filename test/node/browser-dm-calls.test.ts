/**
 * Calls in a DM, in real Chromium with a fake camera and microphone: alice calls bob
 * while he reads another page; the call rings there, he accepts, and each receives the
 * other's audio and video; alice hangs up, both see the call end, and the conversation
 * shows alice's record of it (answered, how long) on both sides. Then bob declines a
 * call, misses one that alice gives up on before he answers (his page in the background:
 * the ring is also a notification), and lets one ring out (CALL_RING_MS, short here):
 * each ends for alice and leaves its record, and a missed one counts as unread for bob.
 * In a group conversation with carol, the call rings both; carol declines, bob answers.
 * Last, bob blocks alice, and her call buttons go off. One server and one browser, in
 * order.
 *
 * What each page receives is read from its own RTCPeerConnections, collected by an
 * init script that wraps the constructor: the page's outer edge, nothing in the app
 * exists for the test.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { FAKE_MEDIA_ARGS, waitUntilConnected } from "../support/browser.ts";
import { browserJourney, conversationLink, messageItem, waitUntilDelivered } from "../support/browser-journey.ts";
import { root } from "../support/server.ts";
import { collectPeerConnections } from "../support/peer-connections.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
/** Joining and media starting take a few seconds on a busy two-core machine. */
const MEDIA_TIMEOUT_MS = 20_000;
/** The media sections in their fixed order (docs/calls.md): their mids in Chromium. */
const MID = { microphone: "0", camera: "1" } as const;

// alice is the instance admin, so she may open a conversation with bob without a shared community.
/** How long a call rings here: long enough for bob to accept on a busy machine, short enough to wait out. */
const RING_MS = 10_000;

const journey = browserJourney(
  "browser_dm_calls",
  { ADMIN_USERNAME: "alice", CALL_RING_MS: String(RING_MS) },
  FAKE_MEDIA_ARGS,
);
let alice: Page;
let bob: Page;
let carol: Page;
let aliceAccount: Account;
let bobAccount: Account;
let carolAccount: Account;

/** Records the system notifications the page shows and closes (the browser shows none, headless). */
function collectNotifications(): void {
  const Original = window.Notification;
  const shown: { title: string; body: string; isClosed: boolean }[] = [];
  (window as unknown as { testNotifications: typeof shown }).testNotifications = shown;
  window.Notification = class extends Original {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      const record = { title, body: options?.body ?? "", isClosed: false };
      shown.push(record);
      this.addEventListener("close", () => (record.isClosed = true));
      const close = this.close.bind(this);
      this.close = () => {
        record.isClosed = true;
        close();
      };
    }
  } as typeof Notification;
}

/** Counts the tones the page plays (the ring): headless Chromium plays them to no speaker. */
function countTones(): void {
  const counter = { started: 0 };
  (window as unknown as { testTones: typeof counter }).testTones = counter;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<typeof start>) {
    counter.started++;
    return start.apply(this, args);
  };
}

/**
 * Lets the test put the page in the background: headless Chromium always shows its
 * pages, so `document.hidden` answers what the test said, and changing it fires
 * `visibilitychange` as a real tab switch does.
 */
function controlVisibility(): void {
  let isHidden = false;
  Object.defineProperty(Document.prototype, "hidden", { configurable: true, get: () => isHidden });
  Object.defineProperty(Document.prototype, "visibilityState", {
    configurable: true,
    get: () => (isHidden ? "hidden" : "visible"),
  });
  (window as unknown as { testSetHidden(hidden: boolean): void }).testSetHidden = (hidden) => {
    isHidden = hidden;
    document.dispatchEvent(new Event("visibilitychange"));
  };
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  bobAccount = await registerOn(journey.server, "bob", PASSWORD);
  carolAccount = await registerOn(journey.server, "carol", PASSWORD);
  [alice, bob, carol] = await Promise.all([journey.openPage(), journey.openPage(), journey.openPage()]);
  for (const page of [alice, bob, carol]) {
    for (const script of [collectPeerConnections, collectNotifications, controlVisibility, countTones])
      await page.addInitScript(script);
    await page.context().grantPermissions(["notifications"], { origin: journey.server.url });
  }
  await Promise.all([signIn(alice, "alice"), signIn(bob, "bob"), signIn(carol, "carol")]);
  const opened = await call(journey.server, "/api/dms", {
    method: "POST",
    body: { userIds: [bobAccount.id] },
    token: aliceAccount.token,
  });
  expect(opened.status, opened.text).toBe(201);
  // Both open the conversation and hear each other: the DM's encryption group holds both devices.
  await openConversation(alice, "bob");
  await openConversation(bob, "alice");
  await send(alice, "call you in a minute");
  await messageItem(bob, "call you in a minute").waitFor({ timeout: MEDIA_TIMEOUT_MS });
}, 120_000);

afterAll(() => {
  expect(journey.problems).toEqual([]);
});

describe("alice calls bob in their conversation", () => {
  it("rings bob on whatever page he reads; he accepts, and each receives the other's audio and video", async () => {
    await bob.getByRole("region", { name: "Your account" }).getByRole("button", { name: "Account menu" }).click();
    await bob.getByRole("link", { name: "Security" }).click();
    await alice.locator(".chat-header").getByRole("button", { name: "Start video call" }).click();
    await alice.locator(".dm-call").getByText("Ringing bob…").waitFor({ timeout: MEDIA_TIMEOUT_MS });

    const ringing = incomingCall(bob);
    await ringing.getByText("Video call").waitFor({ timeout: MEDIA_TIMEOUT_MS });
    await expect.poll(() => tonesPlayed(bob), { timeout: MEDIA_TIMEOUT_MS }).toBeGreaterThan(0);
    await bob.screenshot({ path: join(SCREENSHOTS, "dm-call-ringing.png") });
    await ringing.getByRole("button", { name: "Accept" }).click();
    await bob.getByRole("heading", { name: "@alice" }).waitFor();
    await expect.poll(() => ringing.count()).toBe(0);
    const tonesWhenAnswered = await tonesPlayed(bob);
    for (const page of [alice, bob]) {
      await callStatus(page, "Voice connected").waitFor({ timeout: MEDIA_TIMEOUT_MS });
      await expectReceiving(page, ["microphone", "camera"]);
    }
    await alice.screenshot({ path: join(SCREENSHOTS, "dm-call.png") });
    expect(await tonesPlayed(bob)).toBe(tonesWhenAnswered); // the ring stopped with the answer
    await expect.poll(() => alice.locator(".dm-call").getByText("Ringing bob…").count()).toBe(0);
  });

  it("ends for both when alice hangs up, and both conversations show alice's record of it", async () => {
    await alice.locator(".dm-call").getByRole("button", { name: "Leave call" }).click();
    for (const page of [alice, bob]) {
      await callEnded(page, /^Call ended after \d+ seconds?\./).waitFor({ timeout: MEDIA_TIMEOUT_MS });
      await expect.poll(() => openPeerConnections(page), { timeout: MEDIA_TIMEOUT_MS }).toBe(0);
    }
    await callRecord(alice, /You started a video call that lasted \d+ seconds?/).waitFor({
      timeout: MEDIA_TIMEOUT_MS,
    });
    await callRecord(bob, /alice started a video call that lasted \d+ seconds?/).waitFor({
      timeout: MEDIA_TIMEOUT_MS,
    });
    expect(await recordsStored()).toBe(1);
  });

  it("ends alice's voice call when bob declines it, and records it as declined", async () => {
    await alice.locator(".chat-header").getByRole("button", { name: "Start voice call" }).click();
    const ringing = incomingCall(bob);
    await ringing.getByText("Voice call").waitFor({ timeout: MEDIA_TIMEOUT_MS });
    await ringing.getByRole("button", { name: "Decline" }).click();
    await expect.poll(() => ringing.count()).toBe(0);

    await callEnded(alice, "Call ended: declined.").waitFor({ timeout: MEDIA_TIMEOUT_MS });
    await expect.poll(() => callStatus(alice, "Voice connected").count()).toBe(0);
    await callRecord(alice, "Your call was declined").waitFor({ timeout: MEDIA_TIMEOUT_MS });
    await callRecord(bob, "Declined call from alice").waitFor({ timeout: MEDIA_TIMEOUT_MS });
    expect(await recordsStored()).toBe(2);
  });

  it("shows bob a missed call when alice hangs up before he answers, unread until he looks", async () => {
    await bob.getByRole("link", { name: "Direct messages" }).click();
    await setHidden(bob, true); // bob looks at another tab: the ring is also a notification
    await alice.locator(".chat-header").getByRole("button", { name: "Start voice call" }).click();
    const ringing = incomingCall(bob);
    await ringing.waitFor({ timeout: MEDIA_TIMEOUT_MS });
    await expect
      .poll(() => notifications(bob))
      .toEqual([{ title: "alice is calling", body: "Voice call", isClosed: false }]);
    await alice.locator(".dm-call").getByRole("button", { name: "Leave call" }).click();
    await expect.poll(() => ringing.count(), { timeout: MEDIA_TIMEOUT_MS }).toBe(0);
    await expect
      .poll(() => notifications(bob))
      .toEqual([{ title: "alice is calling", body: "Voice call", isClosed: true }]);
    await setHidden(bob, false);

    await callEnded(alice, "Call ended: nobody answered.").waitFor({ timeout: MEDIA_TIMEOUT_MS });
    await callRecord(alice, "No answer to your call").waitFor({ timeout: MEDIA_TIMEOUT_MS });
    await expect
      .poll(() => description(conversationLink(bob, "alice")), { timeout: MEDIA_TIMEOUT_MS })
      .toContain("1 unread message");
    await conversationLink(bob, "alice").click();
    await callRecord(bob, "Missed call from alice").waitFor({ timeout: MEDIA_TIMEOUT_MS });
    // bob was in none of the calls since the first: his page tells of no call ending, and of no problem.
    expect(await callEnded(bob, "Call ended").count()).toBe(0);
    expect(await bob.locator(".dm-call").count()).toBe(0);
    await bob.screenshot({ path: join(SCREENSHOTS, "dm-call-records.png") });
    expect(await recordsStored()).toBe(3);
  });

  it("stops ringing after CALL_RING_MS: alice's call ends unanswered, and bob has missed it", async () => {
    await bob.getByRole("link", { name: "Direct messages" }).click();
    await alice.locator(".chat-header").getByRole("button", { name: "Start voice call" }).click();
    const ringing = incomingCall(bob);
    await ringing.waitFor({ timeout: MEDIA_TIMEOUT_MS });
    await expect.poll(() => ringing.count(), { timeout: RING_MS + MEDIA_TIMEOUT_MS }).toBe(0);

    await expect.poll(() => callStatus(alice, "Voice connected").count(), { timeout: MEDIA_TIMEOUT_MS }).toBe(0);
    await callEnded(alice, "Call ended: nobody answered.").waitFor({ timeout: MEDIA_TIMEOUT_MS });
    await expect.poll(() => callRecord(alice, "No answer to your call").count(), { timeout: MEDIA_TIMEOUT_MS }).toBe(2);
    await conversationLink(bob, "alice").click();
    await expect.poll(() => callRecord(bob, "Missed call from alice").count(), { timeout: MEDIA_TIMEOUT_MS }).toBe(2);
    expect(await recordsStored()).toBe(4);
  });

  it("rings both others in a group conversation: carol declines, bob answers, and the call is recorded", async () => {
    const group = await call(journey.server, "/api/dms", {
      method: "POST",
      body: { userIds: [bobAccount.id, carolAccount.id] },
      token: aliceAccount.token,
    });
    expect(group.status, group.text).toBe(201);
    for (const page of [alice, bob, carol]) {
      await groupLink(page).click({ timeout: MEDIA_TIMEOUT_MS });
      await waitUntilConnected(page);
    }
    await send(alice, "all three of us");
    for (const page of [bob, carol]) await messageItem(page, "all three of us").waitFor({ timeout: MEDIA_TIMEOUT_MS });

    await alice.locator(".chat-header").getByRole("button", { name: "Start voice call" }).click();
    await incomingCall(bob).getByText("Voice call · alice, carol").waitFor({ timeout: MEDIA_TIMEOUT_MS });
    await incomingCall(carol).getByText("Voice call · alice, bob").waitFor({ timeout: MEDIA_TIMEOUT_MS });
    await incomingCall(carol).getByRole("button", { name: "Decline" }).click();
    await alice.locator(".dm-call").getByText("Ringing bob…").waitFor({ timeout: MEDIA_TIMEOUT_MS });
    await incomingCall(bob).getByRole("button", { name: "Accept" }).click();
    for (const page of [alice, bob]) {
      await callStatus(page, "Voice connected").waitFor({ timeout: MEDIA_TIMEOUT_MS });
      await expectReceiving(page, ["microphone"]);
    }
    // carol, who declined, can still join the call in progress from the conversation's header.
    await carol.locator(".chat-header").getByRole("button", { name: "Join call" }).waitFor();

    await alice.locator(".dm-call").getByRole("button", { name: "Leave call" }).click();
    await callRecord(alice, /You started a call that lasted \d+ seconds?/).waitFor({ timeout: MEDIA_TIMEOUT_MS });
    for (const page of [bob, carol]) {
      await callRecord(page, /alice started a call that lasted \d+ seconds?/).waitFor({ timeout: MEDIA_TIMEOUT_MS });
    }
    expect(await recordsStored()).toBe(5);
  });

  it("keeps the call buttons off, saying why, once bob blocks alice", async () => {
    await openConversation(alice, "bob");
    const blocked = await call(journey.server, `/api/blocks/${aliceAccount.id}`, {
      method: "PUT",
      token: bobAccount.token,
    });
    expect(blocked.status, blocked.text).toBeLessThan(300);
    for (const name of ["Start voice call", "Start video call"]) {
      const button = alice.locator(".chat-header").getByRole("button", { name });
      await expect.poll(() => button.isDisabled(), { timeout: MEDIA_TIMEOUT_MS }).toBe(true);
      expect(await button.getAttribute("title")).toMatch(/read-only/);
    }
  });
});

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${journey.server.url}/sign-in`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("heading", { name: "Communities" }).waitFor();
}

async function openConversation(page: Page, name: string): Promise<void> {
  await conversationLink(page, name).click({ timeout: MEDIA_TIMEOUT_MS });
  await waitUntilConnected(page);
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel(/^Message /).fill(text);
  await page.getByLabel(/^Message /).press("Enter");
  await waitUntilDelivered(page, MEDIA_TIMEOUT_MS);
}

/** The group conversation: the one conversation named after two people. */
const groupLink = (page: Page) =>
  page.getByRole("navigation", { name: "Direct messages" }).getByRole("link", { name: /, / });
const incomingCall = (page: Page) => page.getByRole("alertdialog", { name: "Incoming call from alice" });
const callStatus = (page: Page, words: string) =>
  page.locator(".call-stage").getByRole("status").filter({ hasText: words });
const callEnded = (page: Page, words: string | RegExp) =>
  page.locator(".dm-call").getByRole("status").filter({ hasText: words });
const callRecord = (page: Page, words: string | RegExp) =>
  page.getByRole("log").getByRole("listitem").filter({ hasText: words });

/** The call records the server stored (sealed: it knows only their client ids). */
async function recordsStored(): Promise<number> {
  const [row] = await journey.query<{ count: number }>(
    "select count(*)::int as count from messages where client_id like 'call-%'",
  );
  return row?.count ?? 0;
}

const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate(
    (value) => (window as unknown as { testSetHidden(hidden: boolean): void }).testSetHidden(value),
    hidden,
  );
const tonesPlayed = (page: Page) =>
  page.evaluate(() => (window as unknown as { testTones: { started: number } }).testTones.started);
const notifications = (page: Page) =>
  page.evaluate(() => (window as unknown as { testNotifications: unknown[] }).testNotifications);

function description(link: Locator): Promise<string> {
  return link.evaluate((element) => {
    const id = element.getAttribute("aria-describedby");
    return id ? (document.getElementById(id)?.textContent ?? "") : "";
  });
}

function openPeerConnections(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      (window as unknown as { testPeerConnections: RTCPeerConnection[] }).testPeerConnections.filter(
        (connection) => connection.connectionState !== "closed",
      ).length,
  );
}

/** How much each open connection's inbound `field` on `mid` grew over a second (one number per connection). */
async function growthOver(page: Page, mid: string, field: "framesDecoded" | "totalSamplesReceived") {
  const read = () =>
    page.evaluate(
      async ({ mid, field }) => {
        const all = (window as unknown as { testPeerConnections: RTCPeerConnection[] }).testPeerConnections;
        const open = all.filter((connection) => connection.connectionState !== "closed");
        return Promise.all(
          open.map(async (connection) => {
            let value = 0;
            (await connection.getStats()).forEach((stat: Record<string, unknown>) => {
              if (stat.type === "inbound-rtp" && String(stat.mid) === mid) value = Number(stat[field] ?? 0);
            });
            return value;
          }),
        );
      },
      { mid, field },
    );
  const before = await read();
  await page.waitForTimeout(1_000);
  const after = await read();
  if (after.length !== before.length) return [];
  return after.map((value, index) => value - before[index]!);
}

/** The page has one open peer connection, and the given media keep arriving on it. */
async function expectReceiving(page: Page, media: ("microphone" | "camera")[]): Promise<void> {
  for (const kind of media) {
    const field = kind === "camera" ? "framesDecoded" : "totalSamplesReceived";
    try {
      await expect
        .poll(async () => (await growthOver(page, MID[kind], field)).map((growth) => growth > 0), {
          timeout: MEDIA_TIMEOUT_MS,
          message: `${kind} arriving`,
        })
        .toEqual([true]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nconnections: ${await connectionsInWords(page)}`);
    }
  }
}

/** For a failure's message: each connection's state and what arrived on each media section. */
function connectionsInWords(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const all = (window as unknown as { testPeerConnections: RTCPeerConnection[] }).testPeerConnections;
    const described = await Promise.all(
      all.map(async (connection) => {
        const inbound: string[] = [];
        (await connection.getStats()).forEach((stat: Record<string, unknown>) => {
          if (stat.type !== "inbound-rtp") return;
          inbound.push(
            `mid ${String(stat.mid)}: ${String(stat.packetsReceived)} packets, ${String(stat.framesDecoded ?? stat.totalSamplesReceived)} decoded`,
          );
        });
        return `${connection.connectionState} (${inbound.join("; ")})`;
      }),
    );
    return described.join(" | ");
  });
}
