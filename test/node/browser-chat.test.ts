/**
 * The thin path in a real browser: alice and bob chat in #general through the
 * built web app, served by the production entrypoint, with PostgreSQL behind it.
 * The tests are one journey and run in order; each step builds on the last.
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import pg from "pg";
import { type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium, openPage as openIsolatedPage, waitUntilConnected } from "../support/browser.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { root, startServer, type RunningServer } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOT_PATH = join(root, "docs", "screenshots", "chat.png");
/** Real-time means seconds, not a poll interval. */
const LIVE_TIMEOUT_MS = 5_000;

interface SocketFrames {
  sent: { type: string; clientId?: string; payload?: string }[];
  received: { type: string }[];
}

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;
let alice: Page;
let bob: Page;
let aliceFrames: SocketFrames;
let bobFrames: SocketFrames;
/** Things the browser should never print: a CSP violation means an inline style or script slipped in. */
const browserProblems: string[] = [];

beforeAll(async () => {
  mkdirSync(dirname(SCREENSHOT_PATH), { recursive: true });
  database = await createTestDatabase("browser_chat");
  server = await startServer({
    databaseUrl: database.url,
    // Embedded PGlite serves one connection reliably, not several.
    env: { DATABASE_POOL_SIZE: database.isEmbedded ? "1" : "4" },
  });
  browser = await launchChromium();
  // Two contexts are two separate browsers as far as the app can tell: no shared storage.
  [alice, bob] = await Promise.all([openPage(), openPage()]);
  aliceFrames = recordSocketFrames(alice);
  bobFrames = recordSocketFrames(bob);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await database?.stop();
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() =>
    console.error(`server output:\n${server?.output()}\nbrowser problems:\n${browserProblems.join("\n")}`),
  );
});

describe("two people chatting in #general in the browser", () => {
  it("lets alice register, create #general and open it", async () => {
    await register(alice, "alice");
    await alice.getByLabel("New channel").fill("general");
    await alice.getByRole("button", { name: "Create channel" }).click();
    await alice.getByRole("heading", { name: "#general" }).waitFor();
    await waitUntilConnected(alice);
    expect(await alice.getByRole("link", { name: "#general" }).getAttribute("aria-current")).toBe("page");
  });

  it("lets bob register in another browser and open #general", async () => {
    await register(bob, "bob");
    await bob.getByRole("link", { name: "#general" }).click();
    await bob.getByRole("heading", { name: "#general" }).waitFor();
    await waitUntilConnected(bob);
  });

  it("shows alice's message to bob as soon as she sends it", async () => {
    const composer = alice.getByLabel("Message #general");
    await composer.fill("hello bob");
    await composer.press("Enter");
    await bob.getByRole("log").getByText("hello bob", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await waitUntilDelivered(alice);
    expect(bobFrames.received.map((frame) => frame.type)).toContain("message");
  });

  it("shows bob's reply to alice in real time", async () => {
    await bob.getByLabel("Message #general").fill("hi alice, got it");
    await bob.getByRole("button", { name: "Send" }).click();
    await alice.getByRole("log").getByText("hi alice, got it", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await waitUntilDelivered(bob);
    await alice.screenshot({ path: SCREENSHOT_PATH });
  });

  it("stores both messages in PostgreSQL as the opaque bytes the browsers sent", async () => {
    const sent = [...aliceFrames.sent, ...bobFrames.sent].filter((frame) => frame.type === "send");
    const sentPayloads = new Map(sent.map((frame) => [frame.clientId, frame.payload]));
    expect(await countMessages()).toBe(2);
    const columns = await queryDatabase<{ data_type: string }>(
      "select data_type from information_schema.columns where table_name = 'messages' and column_name = 'payload'",
    );
    expect(columns.map((column) => column.data_type)).toEqual(["bytea"]);
    const rows = await queryDatabase<Record<string, unknown>>("select * from messages order by seq");
    for (const row of rows) {
      expect(row.payload).toBeInstanceOf(Buffer);
      // Byte for byte what the browser sent: the server neither reads nor re-encodes payloads.
      expect((row.payload as Buffer).toString("base64")).toBe(sentPayloads.get(row.client_id as string));
      // And no column holds the words themselves.
      const plainText = Object.values(row).filter(
        (value) => typeof value === "string" && /hello bob|hi alice/.test(value),
      );
      expect(plainText).toEqual([]);
    }
  });

  it("keeps bob signed in across a reload and shows him the history from the server", async () => {
    await bob.reload();
    // The access token lived in memory and is gone; the HttpOnly refresh cookie brings the session back.
    await bob.getByRole("heading", { name: "#general" }).waitFor();
    expect(await bob.getByRole("heading", { name: "Sign in to Chatalot" }).count()).toBe(0);
    await waitUntilConnected(bob);
    const log = bob.getByRole("log");
    await log.getByText("hi alice, got it", { exact: true }).waitFor();
    const texts = await log.getByRole("listitem").allInnerTexts();
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain("alice");
    expect(texts[0]).toContain("hello bob");
    expect(texts[1]).toContain("bob");
    expect(texts[1]).toContain("hi alice, got it");
  });
});

describe("a dropped connection in the browser", () => {
  it("delivers a message whose ack was lost exactly once, after the socket reconnects", async () => {
    const carol = await openPage();
    // Carol's socket runs through the test, which can swallow what the room says and cut the line.
    let isSwallowingAcks = false;
    let cutLine = async () => {};
    await carol.routeWebSocket(/\/socket\?/, (page) => {
      const room = page.connectToServer();
      page.onMessage((frame) => room.send(frame));
      room.onMessage((frame) => {
        if (isSwallowingAcks && JSON.parse(String(frame)).type === "ack") return;
        page.send(frame);
      });
      cutLine = async () => {
        await page.close({ code: 1011, reason: "the test cut the line" });
        await room.close();
      };
    });
    await register(carol, "carol");
    await carol.getByRole("link", { name: "#general" }).click();
    await waitUntilConnected(carol);

    isSwallowingAcks = true;
    await carol.getByLabel("Message #general").fill("are you still there?");
    await carol.getByRole("button", { name: "Send" }).click();
    // Stored and relayed, but carol never heard back.
    await alice
      .getByRole("log")
      .getByText("are you still there?", { exact: true })
      .waitFor({ timeout: LIVE_TIMEOUT_MS });
    await carol.getByRole("log").getByText("Sending…").waitFor();
    isSwallowingAcks = false;
    await cutLine();

    // The reconnect resends under the same client id; the server answers with the stored message.
    await waitUntilDelivered(carol);
    expect(await carol.getByRole("log").getByText("are you still there?", { exact: true }).count()).toBe(1);
    expect(await alice.getByRole("log").getByText("are you still there?", { exact: true }).count()).toBe(1);
    expect(await countMessages()).toBe(3);
  });
});

describe("the web app under the server's Content-Security-Policy", () => {
  it("runs without a single policy violation or script error", () => {
    expect(browserProblems).toEqual([]);
  });
});

async function queryDatabase<Row extends object>(sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function countMessages(): Promise<number> {
  const [row] = await queryDatabase<{ count: number }>("select count(*)::int as count from messages");
  return row?.count ?? 0;
}

const openPage = () => openIsolatedPage(browser, browserProblems);

function recordSocketFrames(page: Page): SocketFrames {
  const frames: SocketFrames = { sent: [], received: [] };
  page.on("websocket", (socket) => {
    socket.on("framesent", ({ payload }) => frames.sent.push(JSON.parse(String(payload))));
    socket.on("framereceived", ({ payload }) => frames.received.push(JSON.parse(String(payload))));
  });
  return frames;
}

async function register(page: Page, username: string): Promise<void> {
  await page.goto(server.url);
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account", exact: true }).click();
  // The recovery code is shown once; going on means saying it is saved.
  await page.getByRole("heading", { name: "Save your recovery code now" }).waitFor();
  await page.getByLabel("I have saved my recovery code somewhere safe").check();
  await page.getByRole("button", { name: "Continue to Chatalot" }).click();
  await page.getByRole("heading", { name: "Channels" }).waitFor();
}

/** The sender's copy loses its "Sending…" mark once the server's ack arrives. */
async function waitUntilDelivered(page: Page): Promise<void> {
  await page.getByRole("log").getByText("Sending…").waitFor({ state: "detached" });
}
