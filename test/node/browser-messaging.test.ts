/**
 * The richer messaging in a real browser: the admin and bob, both in Acme, reply,
 * edit, delete, react, mention each other and talk in a thread in #general; each
 * sees the other typing, online, idle or gone; unread badges follow what bob has
 * not read; and bob's page, cut off the network while the admin goes on, catches
 * up after it reconnects with every message exactly once and in order. One
 * journey, in order; each step builds on the last.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Locator, type Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { chatalotCiphersuite } from "../../e2ee/index.ts";
import { unpackFrames, type ServerFrame } from "../../protocol/index.ts";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { waitUntilConnected } from "../support/browser.ts";
import { SimulatedDevice } from "../support/e2ee-device.ts";
import { browserJourney } from "../support/browser-journey.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
/** Real-time means seconds, not a poll interval. */
const LIVE_TIMEOUT_MS = 5_000;
/** Typing indicators go out ~5 s after the last keystroke. */
const TYPING_GONE_TIMEOUT_MS = 9_000;
const CAKE = "who is bringing the cake?";
/**
 * Enough that the newest page (50 messages) and the page around the first message
 * (50) leave a hole between them.
 */
const HISTORY_LENGTH = 110;

interface Frame {
  type: string;
  afterEvent?: number;
  messages?: unknown[];
}

const journey = browserJourney("browser_messaging", {
  // The test fills #history from a script faster than the per-socket frame limit allows.
  SOCKET_FRAMES_PER_SECOND: "1000",
});
let adminAccount: Account;
let historyChannelId = "";
let acmeId = "";
let admin: Page;
let bob: Page;
/** Bob's channel sockets run through the test, which records them and can take his page offline. */
let isBobOffline = false;
let cutBobsLine = async () => {};
const bobSent: Frame[] = [];
const bobReceived: Frame[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });

  adminAccount = await registerOn(journey.server, "admin", PASSWORD);
  acmeId = (await asAdmin("POST", "/api/communities", { name: "Acme" }, 201)).community.id;
  await asAdmin("POST", `/api/communities/${acmeId}/channels`, { name: "random" }, 201);
  historyChannelId = (await asAdmin("POST", `/api/communities/${acmeId}/channels`, { name: "history" }, 201)).channel
    .id;
  const { code } = await asAdmin("POST", `/api/communities/${acmeId}/invites`, {}, 201);
  const bobAccount = await registerOn(journey.server, "bob", PASSWORD);
  const joined = await call(journey.server, "/api/community-invites/accept", {
    body: { code },
    token: bobAccount.token,
  });
  expect(joined.status, joined.text).toBe(200);

  [admin, bob] = await Promise.all([journey.openPage(), journey.openPage()]);
  await bob.routeWebSocket(/\/api\/channels\/[^/]+\/socket$/, (page) => {
    // While bob is offline every attempt to reconnect fails at once, as with no network.
    if (isBobOffline) return void page.close({ code: 1011, reason: "offline" });
    const room = page.connectToServer();
    page.onMessage((frame) => {
      bobSent.push(JSON.parse(String(frame)));
      room.send(frame);
    });
    room.onMessage((frame) => {
      bobReceived.push(...unpackFrames(JSON.parse(String(frame)) as ServerFrame));
      page.send(frame);
    });
    cutBobsLine = async () => {
      await page.close({ code: 1011, reason: "the test cut the line" });
      await room.close();
    };
  });
  await Promise.all([signIn(admin, "admin"), signIn(bob, "bob")]);
});

describe("the admin and bob in #general", () => {
  it("shows each of them the other online, and the status bob chooses", async () => {
    await Promise.all([openChannel(admin, "#general"), openChannel(bob, "#general")]);
    await presenceOf(admin, "bob", "online").waitFor({ timeout: LIVE_TIMEOUT_MS });
    await presenceOf(bob, "admin", "online").waitFor({ timeout: LIVE_TIMEOUT_MS });

    await bob.getByLabel("Your status").selectOption("dnd");
    await presenceOf(admin, "bob", "do not disturb").waitFor({ timeout: LIVE_TIMEOUT_MS });
    await bob.getByLabel("Your status").selectOption("online");
    await presenceOf(admin, "bob", "online").waitFor({ timeout: LIVE_TIMEOUT_MS });
  });

  it("tells the admin that bob is typing, and stops a few seconds after he stops", async () => {
    await bob.getByLabel("Message #general").pressSequentially("hmm", { delay: 50 });
    const typing = admin.getByText("bob is typing…", { exact: true });
    await typing.waitFor({ timeout: LIVE_TIMEOUT_MS });
    await typing.waitFor({ state: "detached", timeout: TYPING_GONE_TIMEOUT_MS });
    await bob.getByLabel("Message #general").fill("");
  });

  it("lets bob reply to the admin's message, quoting it, and the quote brings it back into view", async () => {
    await send(admin, "#general", CAKE);
    await message(bob, CAKE).getByRole("button", { name: "Reply", exact: true }).click();
    await bob.getByText(`Replying to admin: ${CAKE}`, { exact: true }).waitFor();
    await send(bob, "#general", "me, obviously");

    const quote = message(admin, "me, obviously").getByRole("button", { name: `Replying to admin: ${CAKE}` });
    await quote.waitFor({ timeout: LIVE_TIMEOUT_MS });
    await quote.click();
    await expect.poll(() => admin.evaluate(() => document.activeElement?.textContent ?? "")).toContain(CAKE);
  });

  it("shows bob's edit to the admin, marked as edited", async () => {
    await message(bob, "me, obviously").getByRole("button", { name: "Edit", exact: true }).click();
    const editor = bob.getByLabel("Edit message");
    await editor.fill("me, obviously (and candles)");
    await editor.press("Enter");
    const edited = message(admin, "me, obviously (and candles)");
    await edited.getByText("(edited)", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await admin.getByRole("log").getByText("me, obviously", { exact: true }).count()).toBe(0);
  });

  it("counts reactions live on both pages as they are added and taken back", async () => {
    const text = "me, obviously (and candles)";
    await message(admin, text).getByRole("button", { name: "React", exact: true }).click();
    await admin.getByRole("button", { name: "React with thumbs up" }).click();
    const bobsChip = message(bob, text).getByRole("button", { name: "thumbs up: 1" });
    await bobsChip.waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await bobsChip.getAttribute("aria-pressed")).toBe("false");

    await bobsChip.click();
    await message(admin, text).getByRole("button", { name: "thumbs up: 2" }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    const bobsPressed = message(bob, text).getByRole("button", { name: "thumbs up: 2" });
    await bobsPressed.waitFor();
    expect(await bobsPressed.getAttribute("aria-pressed")).toBe("true");

    await message(admin, text).getByRole("button", { name: "thumbs up: 2" }).click();
    await message(bob, text).getByRole("button", { name: "thumbs up: 1" }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await message(admin, text).getByRole("button", { name: "thumbs up: 1" }).waitFor();
  });

  it("highlights a message that mentions bob on his page", async () => {
    await send(admin, "#general", "@bob can you check the oven?");
    const mention = message(bob, "@bob can you check the oven?");
    await mention.getByText("mentions you", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await mention.locator(".message").getAttribute("class")).toContain("is-mentioning-me");
    await screenshot(bob, "messaging.png");
  });

  it("replaces a message bob deletes with a tombstone on the admin's page", async () => {
    const text = "me, obviously (and candles)";
    await message(bob, text).getByRole("button", { name: "Delete", exact: true }).click();
    await bob.getByRole("button", { name: "Delete message", exact: true }).click();
    await message(admin, "This message was deleted.").waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await admin.getByRole("log").getByText(text, { exact: true }).count()).toBe(0);
    await message(bob, "This message was deleted.").waitFor();
  });

  it("keeps thread replies in their thread, with a count on the message they answer", async () => {
    await message(admin, CAKE).getByRole("button", { name: "Reply in thread", exact: true }).click();
    const adminsThread = admin.getByRole("complementary", { name: "Thread" });
    await adminsThread.getByLabel("Reply in this thread").fill("chocolate, please");
    await adminsThread.getByRole("button", { name: "Post reply" }).click();
    await adminsThread.getByText("1 reply", { exact: true }).waitFor();

    const replies = message(bob, CAKE).getByRole("button", { name: "1 reply", exact: true });
    await replies.waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await bob.getByRole("log").getByText("chocolate, please", { exact: true }).count()).toBe(0);
    await replies.click();
    const bobsThread = bob.getByRole("complementary", { name: "Thread" });
    await bobsThread.getByText("chocolate, please", { exact: true }).waitFor();
    await screenshot(bob, "thread.png");
    await bobsThread.getByRole("button", { name: "Close thread" }).click();
    await adminsThread.getByRole("button", { name: "Close thread" }).click();
  });

  it("shows a message the admin pins as pinned, and in bob's pinned messages", async () => {
    await message(admin, CAKE).getByRole("button", { name: "Pin", exact: true }).click();
    await message(bob, CAKE).getByText("pinned", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await bob.getByRole("button", { name: "Pinned messages" }).click();
    const pins = bob.getByRole("complementary", { name: "Pinned messages" });
    await pins.getByText(CAKE, { exact: true }).waitFor();
    await pins.getByRole("button", { name: "Close pinned messages" }).click();
  });
});

describe("unread badges", () => {
  it("counts the admin's messages in #random on bob's sidebar, mentions apart", async () => {
    await openChannel(admin, "#random");
    await send(admin, "#random", "anyone up for lunch?");
    await expect
      .poll(() => description(channelLink(bob, "#random")), { timeout: LIVE_TIMEOUT_MS })
      .toBe("1 unread message");
    await send(admin, "#random", "@bob you in?");
    await expect
      .poll(() => description(channelLink(bob, "#random")), { timeout: LIVE_TIMEOUT_MS })
      .toBe("2 unread messages, 1 mention");
    await screenshot(bob, "unread.png");
  });

  it("clears #random's badge once bob has read it, and keeps it clear after he leaves", async () => {
    await openChannel(bob, "#random");
    await message(bob, "@bob you in?").waitFor();
    expect(await description(channelLink(bob, "#random"))).toBe("");
    await openChannel(bob, "#general");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await description(channelLink(bob, "#random"))).toBe("");
  });

  it("clears every badge with Mark all read", async () => {
    await send(admin, "#random", "last call for lunch");
    await expect
      .poll(() => description(channelLink(bob, "#random")), { timeout: LIVE_TIMEOUT_MS })
      .toBe("1 unread message");
    await bob.getByRole("button", { name: "Mark all read" }).click();
    await expect.poll(() => description(channelLink(bob, "#random")), { timeout: LIVE_TIMEOUT_MS }).toBe("");
    await bob.reload();
    await bob.getByRole("heading", { name: "#general" }).waitFor();
    expect(await description(channelLink(bob, "#random"))).toBe("");
  });
});

describe("a reply to a message older than the loaded history", () => {
  it("loads the history around the message replied to, and then what lies in between", async () => {
    await fillHistory();
    await openChannel(bob, "#history");
    const quote = message(bob, "back to the very start").getByRole("button", {
      name: "Replying to an earlier message",
    });
    await quote.click();
    await bob.getByRole("log").getByText("history 1", { exact: true }).waitFor();
    await expect.poll(() => bob.evaluate(() => document.activeElement?.textContent ?? "")).toContain("history 1");
    await message(bob, "back to the very start")
      .getByRole("button", { name: "Replying to archivist: history 1", exact: true })
      .waitFor();

    await bob.getByRole("button", { name: "Load the messages in between" }).click();
    await bob.getByRole("button", { name: "Load the messages in between" }).waitFor({ state: "detached" });
    // Messages only: the lines saying who can read the channel now are not messages.
    const texts = await bob.getByRole("log").locator("li:not(.roster-change)").allInnerTexts();
    expect(texts).toHaveLength(HISTORY_LENGTH + 1);
    expect(await bob.getByRole("button", { name: "Load older messages" }).count()).toBe(0);
    await openChannel(bob, "#general");
  });
});

describe("bob's page cut off the network", () => {
  it("catches up after reconnecting: every message once, in order, with the changes made meanwhile", async () => {
    await waitUntilConnected(bob);
    await openChannel(admin, "#general");
    await send(admin, "#general", "before the cut");
    await message(bob, "before the cut").waitFor({ timeout: LIVE_TIMEOUT_MS });

    await takeBobOffline();
    for (const text of ["while you were out 1", "while you were out 2", "while you were out 3"]) {
      await send(admin, "#general", text);
    }
    await message(admin, "before the cut").getByRole("button", { name: "React", exact: true }).click();
    await admin.getByRole("button", { name: "React with party" }).click();
    await message(admin, "before the cut").getByRole("button", { name: "party: 1" }).waitFor();
    await bob.getByLabel("Message #general").fill("sent while offline");
    await bob.getByLabel("Message #general").press("Enter");
    await bob.getByRole("log").getByText("Sending…").waitFor();
    expect(await bob.getByRole("log").getByText("while you were out 1", { exact: true }).count()).toBe(0);

    isBobOffline = false;
    await waitUntilConnected(bob);
    await message(bob, "while you were out 3").waitFor({ timeout: LIVE_TIMEOUT_MS });
    await message(bob, "before the cut")
      .getByRole("button", { name: "party: 1" })
      .waitFor({ timeout: LIVE_TIMEOUT_MS });
    await bob.getByRole("log").getByText("Sending…").waitFor({ state: "detached", timeout: LIVE_TIMEOUT_MS });
    await message(admin, "sent while offline").waitFor({ timeout: LIVE_TIMEOUT_MS });

    const texts = await bob.getByRole("log").getByRole("listitem").allInnerTexts();
    const positions = ["before the cut", "while you were out 1", "while you were out 2", "while you were out 3"].map(
      (text) => {
        const matching = texts.flatMap((item, index) => (item.includes(text) ? [index] : []));
        expect(matching, `"${text}" shows once`).toHaveLength(1);
        return matching[0]!;
      },
    );
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(texts.filter((item) => item.includes("sent while offline"))).toHaveLength(1);
    expect(await admin.getByRole("log").getByText("sent while offline", { exact: true }).count()).toBe(1);

    // The room was asked for what changed after the last event bob held, and sent it.
    const resumes = bobSent.filter((frame) => frame.type === "resume");
    // Seen once under the full suite's load: a last resume from 0 (notes of December 5); say what came before.
    const received = bobReceived.map((frame) => frame.type).join(" ");
    expect(resumes.at(-1)!.afterEvent, `resumes ${JSON.stringify(resumes)}; received ${received}`).toBeGreaterThan(0);
    expect(bobReceived.filter((frame) => frame.type === "sync").length).toBeGreaterThan(0);
  });
});

describe("bob leaving a channel with a message still on its way", () => {
  it("delivers it all the same once his line is back, and shows it stored when he returns", async () => {
    await waitUntilConnected(bob);
    await takeBobOffline();
    await bob.getByLabel("Message #general").fill("sent offline, then left");
    await bob.getByLabel("Message #general").press("Enter");
    await bob.getByRole("log").getByText("Sending…").waitFor();
    await channelLink(bob, "#random").click();
    await bob.getByRole("heading", { name: "#random", exact: true }).waitFor();

    isBobOffline = false;
    // The left channel's socket reconnects on its own backoff, then sends the message again.
    await message(admin, "sent offline, then left").waitFor({ timeout: 30_000 });
    await openChannel(bob, "#general");
    await message(bob, "sent offline, then left").waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await bob.getByRole("log").getByText("Sending…").count()).toBe(0);
    expect(await admin.getByRole("log").getByText("sent offline, then left", { exact: true }).count()).toBe(1);
  });
});

describe("presence as bob comes and goes", () => {
  it("shows bob offline on the admin's page once his page closes", async () => {
    await presenceOf(admin, "bob", "online").waitFor({ timeout: LIVE_TIMEOUT_MS });
    await bob.context().close();
    await presenceOf(admin, "bob", "offline").waitFor({ timeout: LIVE_TIMEOUT_MS });
  });
});

describe("the messaging pages under the server's Content-Security-Policy", () => {
  it("run without a single policy violation or script error", () => {
    expect(journey.problems).toEqual([]);
  });
});

async function asAdmin(method: string, path: string, body: unknown, expectedStatus: number): Promise<any> {
  const response = await call(journey.server, path, { method, body, token: adminAccount.token });
  expect(response.status, `${method} ${path}: ${response.text}`).toBe(expectedStatus);
  return response.body;
}

/**
 * #history: HISTORY_LENGTH messages, then a reply to the first, from a script: the
 * archivist, a member whose device (a simulated client) starts the channel's group,
 * adds the devices of everyone who may read it, and seals every message.
 */
async function fillHistory(): Promise<void> {
  const archivist = await registerOn(journey.server, "archivist", PASSWORD);
  const { code } = await asAdmin("POST", `/api/communities/${acmeId}/invites`, {}, 201);
  await call(journey.server, "/api/community-invites/accept", { body: { code }, token: archivist.token });
  const device = await SimulatedDevice.setUp(journey.server, archivist, await chatalotCiphersuite());
  await device.startGroup(historyChannelId);
  await device.commitPending(historyChannelId);
  const { socket, next } = await device.connect(historyChannelId);
  const send = async (clientId: string, text: string, replyToSeq?: number) => {
    const payload = await device.seal(historyChannelId, text);
    socket.send(JSON.stringify({ type: "send", clientId, payload, ...(replyToSeq && { replyToSeq }) }));
    return (await next("ack", (frame) => frame.clientId === clientId)).message.seq;
  };
  const first = await send("history-1", "history 1");
  for (let index = 2; index <= HISTORY_LENGTH; index++) await send(`history-${index}`, `history ${index}`);
  await send("history-reply", "back to the very start", first);
  socket.close();
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${journey.server.url}/sign-in`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await channelLink(page, "#general").waitFor();
}

const channelLink = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Channels" }).getByRole("link", { name, exact: true });

/** Cuts bob's channel socket and keeps every reconnect failing until `isBobOffline` is false again. */
async function takeBobOffline(): Promise<void> {
  isBobOffline = true;
  await cutBobsLine();
  await bob
    .getByRole("status")
    .filter({ hasText: /^Reconnecting/ })
    .waitFor();
}

async function openChannel(page: Page, name: string): Promise<void> {
  await channelLink(page, name).click();
  await page.getByRole("heading", { name, exact: true }).waitFor();
  await waitUntilConnected(page);
}

/** Sends from the composer and waits for the server's ack. */
async function send(page: Page, channel: string, text: string): Promise<void> {
  await page.getByLabel(`Message ${channel}`).fill(text);
  await page.getByLabel(`Message ${channel}`).press("Enter");
  await message(page, text).waitFor();
  await page.getByRole("log").getByText("Sending…").waitFor({ state: "detached" });
}

/** A message in the channel's log, found by its exact text (a quote of it elsewhere does not count). */
const message = (page: Page, text: string) =>
  page
    .getByRole("log")
    .getByRole("listitem")
    .filter({ has: page.getByText(text, { exact: true }) });

/** A member's presence dot in the community's member list. */
const presenceOf = (page: Page, username: string, status: string) =>
  page
    .getByRole("region", { name: /^Members/ })
    .getByRole("listitem")
    .filter({ hasText: username })
    .getByRole("img", { name: status, exact: true });

/** A link's accessible description: its unread counts ("" when none). */
function description(link: Locator): Promise<string> {
  return link.evaluate((element) => {
    const id = element.getAttribute("aria-describedby");
    return id ? (document.getElementById(id)?.textContent ?? "") : "";
  });
}

/** Tall enough for the sidebar and the messages to show. */
async function screenshot(page: Page, name: string): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1100, height: 760 });
  try {
    await page.screenshot({ path: join(SCREENSHOTS, name) });
  } finally {
    if (size) await page.setViewportSize(size);
  }
}
