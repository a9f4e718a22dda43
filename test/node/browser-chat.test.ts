/**
 * The thin path in a real browser: the admin creates the Acme community and
 * invites bob by link; bob signs up from the link, lands in Acme, and they chat
 * in #general and then in a direct conversation, through the built web app served
 * by the production entrypoint, with PostgreSQL behind it. The tests are one
 * journey and run in order; each step builds on the last.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Page } from "playwright-core";
import { ENVELOPE_VERSION, unpackFrames, type ServerFrame } from "../../protocol/index.ts";
import { beforeAll, describe, expect, it } from "vitest";
import { waitUntilConnected, withoutFrameType } from "../support/browser.ts";
import {
  browserJourney,
  channelLink,
  communityLink,
  conversationLink,
  fillRegistration as fillRegistrationWith,
  memberList,
  register as registerWith,
  waitUntilDelivered,
} from "../support/browser-journey.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
/** Real-time means seconds, not a poll interval. */
const LIVE_TIMEOUT_MS = 5_000;

interface SocketFrames {
  sent: { type: string; clientId?: string; payload?: string }[];
  received: { type: string }[];
}

const journey = browserJourney("browser_chat");
/** The instance admin (the first account named `admin`), who may create communities. */
let admin: Page;
let bob: Page;
let adminFrames: SocketFrames;
let bobFrames: SocketFrames;
let inviteLink = "";

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Two contexts are two separate browsers as far as the app can tell: no shared storage.
  [admin, bob] = await Promise.all([journey.openPage(), journey.openPage()]);
  adminFrames = recordSocketFrames(admin);
  bobFrames = recordSocketFrames(bob);
});

describe("the admin and bob chatting in a community in the browser", () => {
  it("lets the admin register, create the Acme community and open its #general", async () => {
    await register(admin, "admin");
    await admin.getByLabel("Community name").fill("Acme");
    await admin.getByRole("button", { name: "Create community" }).click();
    // A new community opens at its #general, welcoming its creator and offering an invite.
    await admin.getByRole("main").getByRole("heading", { name: "Welcome to Acme — invite people to start" }).waitFor();
    await admin.getByRole("heading", { name: "#general" }).waitFor();
    await waitUntilConnected(admin);
    expect(await channelLink(admin, "#general").getAttribute("aria-current")).toBe("page");
    expect(new URL(admin.url()).pathname).toMatch(/^\/communities\/[0-9a-f-]{36}\/channels\/[0-9a-f-]{36}$/);
  });

  it("gives the admin an invite link to copy", async () => {
    await admin.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: journey.server.url });
    await admin.getByRole("button", { name: "Invite people" }).click();
    inviteLink = await admin.getByLabel("Invite link", { exact: true }).inputValue();
    expect(inviteLink).toMatch(new RegExp(`^${journey.server.url}/join/[A-Za-z0-9-]+$`));
    await admin.getByRole("button", { name: "Copy link" }).click();
    await admin.getByRole("status").filter({ hasText: "Copied to the clipboard." }).waitFor();
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(inviteLink);
    await admin.screenshot({ path: join(SCREENSHOTS, "community-invite.png") });
    await admin.getByRole("button", { name: "Done" }).click();
  });

  it("lets bob create an account from the invite link and lands him in Acme", async () => {
    await bob.goto(inviteLink);
    await bob.getByText("You have been invited to a community on Chatalot").waitFor();
    await bob.getByRole("link", { name: "Create an account" }).click();
    await fillRegistration(bob, "bob");
    await bob.getByRole("main").getByRole("heading", { name: "Acme" }).waitFor();
    expect(await communityLink(bob, "Acme").getAttribute("aria-current")).toBe("page");
    // The join page was replaced: going back does not accept the invite again.
    expect(new URL(bob.url()).pathname).toMatch(/^\/communities\//);
  });

  it("shows #general to bob, and the admin's message as soon as she sends it", async () => {
    await channelLink(bob, "#general").click();
    await bob.getByRole("heading", { name: "#general" }).waitFor();
    await waitUntilConnected(bob);

    const composer = admin.getByLabel("Message #general");
    await composer.fill("hello bob");
    await composer.press("Enter");
    await bob.getByRole("log").getByText("hello bob", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await waitUntilDelivered(admin);
    expect(bobFrames.received.map((frame) => frame.type)).toContain("message");
  });

  it("shows bob's reply to the admin in real time", async () => {
    await bob.getByLabel("Message #general").fill("hi admin, got it");
    await bob.getByRole("button", { name: "Send" }).click();
    await admin.getByRole("log").getByText("hi admin, got it", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await waitUntilDelivered(bob);
    // Bob is in the admin's members list now that she comes back to the tab.
    await focusWindow(admin);
    await memberList(admin).getByRole("button", { name: "Message bob" }).waitFor();
    await screenshotTall(admin, "chat.png");
  });

  it("stores both messages in PostgreSQL as the opaque bytes the browsers sent, end-to-end encrypted", async () => {
    const sent = [...adminFrames.sent, ...bobFrames.sent].filter((frame) => frame.type === "send");
    const sentPayloads = new Map(sent.map((frame) => [frame.clientId, frame.payload]));
    // The two messages, and the history keys the admin shared with bob's device when she added it.
    expect(await countMessages()).toBe(sentPayloads.size);
    expect(await journey.textsFrom("admin")).toBe(1);
    expect(await journey.textsFrom("bob")).toBe(1);
    const columns = await journey.query<{ data_type: string }>(
      "select data_type from information_schema.columns where table_name = 'messages' and column_name = 'payload'",
    );
    expect(columns.map((column) => column.data_type)).toEqual(["bytea"]);
    const rows = await journey.query<Record<string, unknown>>("select * from messages order by seq");
    for (const row of rows) {
      expect(row.payload).toBeInstanceOf(Buffer);
      // Byte for byte what the browser sent: the server neither reads nor re-encodes payloads.
      expect((row.payload as Buffer).toString("base64")).toBe(sentPayloads.get(row.client_id as string));
      // And no column holds the words themselves, not even the payload: it is a sealed envelope.
      const plainText = Object.values(row).filter(
        (value) => (typeof value === "string" || value instanceof Buffer) && /hello bob|hi admin/.test(String(value)),
      );
      expect(plainText).toEqual([]);
      expect((row.payload as Buffer)[0]).toBe(ENVELOPE_VERSION);
    }
  });

  it("keeps bob signed in across a reload and shows him the history from the server", async () => {
    await bob.reload();
    // The access token lived in memory and is gone; the HttpOnly refresh cookie brings the session back.
    await bob.getByRole("heading", { name: "#general" }).waitFor();
    expect(await bob.getByRole("heading", { name: "Sign in to Chatalot" }).count()).toBe(0);
    await waitUntilConnected(bob);
    const log = bob.getByRole("log");
    await log.getByText("hi admin, got it", { exact: true }).waitFor();
    const texts = await log.getByRole("listitem").allInnerTexts();
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain("admin");
    expect(texts[0]).toContain("hello bob");
    expect(texts[1]).toContain("bob");
    expect(texts[1]).toContain("hi admin, got it");
  });

  it("lets bob message the admin directly from the members list, and the admin answer", async () => {
    await memberList(bob).getByRole("button", { name: "Message admin" }).click();
    await bob.getByRole("heading", { name: "@admin" }).waitFor();
    expect(new URL(bob.url()).pathname).toMatch(/^\/dms\/[0-9a-f-]{36}$/);
    await waitUntilConnected(bob);
    await bob.getByLabel("Message @admin").fill("psst, a word in private");
    await bob.getByLabel("Message @admin").press("Enter");
    await waitUntilDelivered(bob);
    expect(await conversationLink(bob, "admin").getAttribute("aria-current")).toBe("page");

    // The account socket tells the admin's open page of the new conversation, listed at home.
    await admin.getByRole("link", { name: "Direct messages" }).click();
    await conversationLink(admin, "bob").click({ timeout: LIVE_TIMEOUT_MS });
    await admin.getByRole("heading", { name: "@bob" }).waitFor();
    await waitUntilConnected(admin);
    await admin.getByRole("log").getByText("psst, a word in private", { exact: true }).waitFor();
    await admin.getByLabel("Message @bob").fill("private reply");
    await admin.getByRole("button", { name: "Send" }).click();
    await bob.getByRole("log").getByText("private reply", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await waitUntilDelivered(admin);
    await screenshotTall(bob, "direct-message.png");

    // The conversation is its own channel: #general holds only its two messages.
    await communityLink(bob, "Acme").click();
    await channelLink(bob, "#general").click();
    await waitUntilConnected(bob);
    await expect.poll(() => bob.getByRole("log").getByRole("listitem").count()).toBe(2);
    expect(await journey.textsFrom("bob")).toBe(2);
    expect(await journey.textsFrom("admin")).toBe(2);
  });
});

describe("a dropped connection in the browser", () => {
  it("delivers a message whose ack was lost exactly once, after the socket reconnects", async () => {
    const carol = await journey.openPage();
    // Carol's socket runs through the test, which can swallow what the room says and cut the line.
    let isSwallowingAcks = false;
    let cutLine = async () => {};
    // Her channel sockets only: the account socket (/api/events/socket) goes straight through.
    await carol.routeWebSocket(/\/api\/channels\/[^/]+\/socket$/, (page) => {
      const room = page.connectToServer();
      page.onMessage((frame) => room.send(frame));
      room.onMessage((frame) => {
        const passed = isSwallowingAcks ? withoutFrameType(frame, "ack") : String(frame);
        if (passed !== null) page.send(passed);
      });
      cutLine = async () => {
        await page.close({ code: 1011, reason: "the test cut the line" });
        await room.close();
      };
    });
    await carol.goto(inviteLink);
    await carol.getByRole("link", { name: "Create an account" }).click();
    await fillRegistration(carol, "carol");
    await channelLink(carol, "#general").click();
    await waitUntilConnected(carol);
    await communityLink(admin, "Acme").click();
    await channelLink(admin, "#general").click();
    await waitUntilConnected(admin);

    isSwallowingAcks = true;
    await carol.getByLabel("Message #general").fill("are you still there?");
    await carol.getByRole("button", { name: "Send" }).click();
    // Stored and relayed, but carol never heard back.
    await admin
      .getByRole("log")
      .getByText("are you still there?", { exact: true })
      .waitFor({ timeout: LIVE_TIMEOUT_MS });
    await carol.getByRole("log").getByText("Sending…").waitFor();
    isSwallowingAcks = false;
    await cutLine();

    // The reconnect resends under the same client id; the server answers with the stored message.
    await waitUntilDelivered(carol);
    expect(await carol.getByRole("log").getByText("are you still there?", { exact: true }).count()).toBe(1);
    expect(await admin.getByRole("log").getByText("are you still there?", { exact: true }).count()).toBe(1);
    expect(await journey.textsFrom("carol")).toBe(1);
  });
});

describe("the web app under the server's Content-Security-Policy", () => {
  it("runs without a single policy violation or script error", () => {
    expect(journey.problems).toEqual([]);
  });
});

async function countMessages(): Promise<number> {
  const [row] = await journey.query<{ count: number }>("select count(*)::int as count from messages");
  return row?.count ?? 0;
}

function recordSocketFrames(page: Page): SocketFrames {
  const frames: SocketFrames = { sent: [], received: [] };
  page.on("websocket", (socket) => {
    socket.on("framesent", ({ payload }) => frames.sent.push(JSON.parse(String(payload))));
    socket.on("framereceived", ({ payload }) =>
      frames.received.push(...unpackFrames(JSON.parse(String(payload)) as ServerFrame)),
    );
  });
  return frames;
}

/** As when the person comes back to the window: the app re-reads the lists nothing pushes to it yet. */
async function focusWindow(page: Page): Promise<void> {
  await page.evaluate(() => window.dispatchEvent(new Event("focus")));
}

/** Tall enough for the whole sidebar (communities, conversations, channels, members) to show. */
async function screenshotTall(page: Page, name: string): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 960, height: 720 });
  try {
    await page.screenshot({ path: join(SCREENSHOTS, name) });
  } finally {
    if (size) await page.setViewportSize(size);
  }
}

const register = (page: Page, username: string) => registerWith(page, journey.server.url, username, PASSWORD);
const fillRegistration = (page: Page, username: string) => fillRegistrationWith(page, username, PASSWORD);
