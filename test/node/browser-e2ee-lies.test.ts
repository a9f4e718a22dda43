/**
 * A lying server, as a person meets it in the browser: an attacker's proxy
 * (`lying-server.ts`) stands between Chromium and the real server, and each step
 * says what the reader sees. Alice and bob talk in a conversation (the roster lines
 * and "Who can read this" show both); the server moves a message into a reply,
 * says the conversation is not end-to-end encrypted, claims alice deleted a message
 * she did not, and slips in a message in clear under her name; alice deletes one
 * of hers; and the server writes mallory into the community unannounced, whose
 * device then shows in #general as someone unknown who can read it. One journey,
 * in order; each step builds on the last.
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesToBase64, type MessageView } from "../../protocol/index.ts";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { waitUntilConnected } from "../support/browser.ts";
import {
  browserJourney,
  channelLink,
  communityLink,
  conversationLink,
  messageItem,
  waitUntilDelivered,
} from "../support/browser-journey.ts";
import { startLyingServer } from "../support/lying-server.ts";
import { root } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const SCREENSHOTS = join(root, "docs", "screenshots");
/** Real-time means seconds. */
const LIVE_TIMEOUT_MS = 5_000;

// The liar starts first: the real server must accept the browser's calls from its address.
const liar = await startLyingServer({
  get url() {
    return journey.server.url;
  },
});
const journey = browserJourney("browser_e2ee_lies", { CORS_ORIGINS: liar.url, COMMUNITY_CREATION_MODE: "open" });
let alice: Page;
let bob: Page;
let aliceAccount: Account;
let dmId = "";
let acmeId = "";

beforeAll(async () => {
  aliceAccount = await registerOn(journey.server, "alice", PASSWORD);
  const bobAccount = await registerOn(journey.server, "bob", PASSWORD);
  const asAlice = async (path: string, body: unknown) => {
    const answer = await call(journey.server, path, { body, token: aliceAccount.token });
    expect(answer.status, answer.text).toBeLessThan(300);
    return answer.body;
  };
  // A conversation needs a community in common.
  const { community } = await asAlice("/api/communities", { name: "Acme" });
  acmeId = community.id;
  const { code } = await asAlice(`/api/communities/${community.id}/invites`, {});
  const joined = await call(journey.server, "/api/community-invites/accept", {
    body: { code },
    token: bobAccount.token,
  });
  expect(joined.status, joined.text).toBe(200);
  dmId = (await asAlice("/api/dms", { userIds: [bobAccount.id] })).channel.id;
  [alice, bob] = await Promise.all([journey.openPage(), journey.openPage()]);
  // Bob's device is set up (its KeyPackages uploaded) before alice's starts the group.
  await signIn(bob, "bob");
  await signIn(alice, "alice");
});
afterAll(() => liar.stop());

describe("what a person sees when the server lies", () => {
  it("shows two people in a conversation who can read it, from the group itself", async () => {
    await alice.getByRole("link", { name: "Direct messages" }).click();
    await conversationLink(alice, "bob").click();
    await waitUntilConnected(alice);
    await roster(alice).filter({ hasText: "bob can now read new messages" }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await bob.getByRole("link", { name: "Direct messages" }).click();
    await conversationLink(bob, "alice").click();
    await waitUntilConnected(bob);
    await bob.locator(".channel-lock").getByText("End-to-end encrypted").waitFor({ timeout: LIVE_TIMEOUT_MS });
    // Bob joined by alice's Welcome: the group as he found it, both of them in it.
    await roster(bob)
      .filter({ hasText: /alice.* can now read new messages/ })
      .filter({ hasText: "bob" })
      .waitFor();

    await send(alice, "Message @bob", "lunch at noon?");
    await bob.getByRole("log").getByText("lunch at noon?", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await send(bob, "Message @alice", "sounds good");
    await alice.getByRole("log").getByText("sounds good", { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });

    await openLock(alice);
    await alice.getByRole("button", { name: "Who can read this" }).click();
    const readers = alice.getByTestId("group-readers").getByRole("listitem");
    await expect.poll(() => readers.allInnerTexts()).toEqual(["alice (you): 1 device", "bob: 1 device, not verified"]);
    await alice.getByRole("button", { name: "Who can read this" }).click();
    await alice.keyboard.press("Escape");
    // Nothing claims the server changed anything when it did not.
    expect(await bob.getByRole("note").count()).toBe(0);
    expect(await alice.getByRole("note").count()).toBe(0);
  });

  it("warns bob under a message the server relays as a reply alice never wrote", async () => {
    const answered = await seqOf("sounds good");
    liar.frameLies.push((_path, frame) =>
      frame.type === "message" && frame.message.senderId === aliceAccount.id
        ? [{ ...frame, message: { ...frame.message, replyToSeq: answered } }]
        : undefined,
    );
    await send(alice, "Message @bob", "the meeting moved to 3pm");
    const moved = messageItem(bob, "the meeting moved to 3pm");
    await moved
      .getByRole("note")
      .filter({ hasText: "Shown as a reply, but its sender did not reply to anything." })
      .waitFor({ timeout: LIVE_TIMEOUT_MS });
    // Alice's own copy came as her ack, untouched.
    expect(await messageItem(alice, "the meeting moved to 3pm").getByRole("note").count()).toBe(0);
    await bob.screenshot({ path: join(SCREENSHOTS, "e2ee-warning.png") });
    liar.tellTheTruth();
  });

  it("warns too when the lie is in a history page, and not once the page tells the truth", async () => {
    const answered = await seqOf("sounds good");
    liar.responseLies.push((request, status, body) =>
      request.path.startsWith(`/api/channels/${dmId}/messages`) && status === 200
        ? {
            ...body,
            messages: (body.messages as MessageView[]).map((message) =>
              message.senderId === aliceAccount.id ? { ...message, replyToSeq: answered } : message,
            ),
          }
        : undefined,
    );
    await bob.reload();
    await waitUntilConnected(bob);
    await messageItem(bob, "lunch at noon?")
      .getByRole("note")
      .filter({ hasText: "Shown as a reply, but its sender did not reply to anything." })
      .waitFor({ timeout: LIVE_TIMEOUT_MS });
    liar.tellTheTruth();
    await bob.reload();
    await waitUntilConnected(bob);
    await bob.getByRole("log").getByText("the meeting moved to 3pm", { exact: true }).waitFor();
    expect(await bob.getByRole("log").getByRole("note").count()).toBe(0);
  });

  it("keeps the conversation sealed when the server says it is not end-to-end encrypted", async () => {
    liar.responseLies.push((request, _status, body) =>
      request.method === "GET" && request.path === `/api/channels/${dmId}/mls/pending`
        ? { ...body, isEndToEndEncrypted: false, epoch: null }
        : undefined,
    );
    const asked = liar.requests.length;
    await bob.reload();
    await waitUntilConnected(bob);
    await bob.locator(".channel-lock").getByText("End-to-end encrypted").waitFor({ timeout: LIVE_TIMEOUT_MS });
    const lied = () =>
      liar.requests.slice(asked).some((request) => request.path === `/api/channels/${dmId}/mls/pending`);
    await expect.poll(lied).toBe(true);
    expect(await bob.getByRole("button", { name: "Send without end-to-end encryption" }).count()).toBe(0);
    await send(bob, "Message @alice", "is this still private?");
    await alice
      .getByRole("log")
      .getByText("is this still private?", { exact: true })
      .waitFor({ timeout: LIVE_TIMEOUT_MS });
    const [stored] = await journey.query<{ payload: Buffer }>(
      `select payload from messages where channel_id = $1 order by seq desc limit 1`,
      [dmId],
    );
    expect(stored!.payload.toString("utf8")).not.toContain("still private");
    expect(Buffer.from(stored!.payload.toString("utf8"), "base64").toString("utf8")).not.toContain("still private");
    liar.tellTheTruth();
  });

  it("shows that alice deleted her own message, and doubts a deletion she did not sign", async () => {
    await messageItem(alice, "lunch at noon?").getByRole("button", { name: "Delete", exact: true }).click();
    await alice.getByRole("button", { name: "Delete message", exact: true }).click();
    await messageItem(bob, "This message was deleted. Deleted by its sender.").waitFor({ timeout: LIVE_TIMEOUT_MS });

    // The server erases another of hers and says she did it.
    const seq = await seqOf("the meeting moved to 3pm");
    const [shown] = await journey.query<{ last_event: number }>(`select last_event from channels where id = $1`, [
      dmId,
    ]);
    const original = relayed(seq);
    liar.inject(`/api/channels/${dmId}/socket`, {
      type: "update",
      message: {
        ...original,
        event: shown!.last_event + 1,
        payload: "",
        deletedAt: new Date().toISOString(),
        deletedBy: aliceAccount.id,
      },
    });
    await messageItem(
      bob,
      "This message was deleted. ⚠ Removed by someone other than its sender: the server says",
    ).waitFor({
      timeout: LIVE_TIMEOUT_MS,
    });
    expect(await bob.getByRole("log").getByText("the meeting moved to 3pm", { exact: true }).count()).toBe(0);
  });

  it("never shows a message the server writes in clear as alice's words", async () => {
    const [channel] = await journey.query<{ last_seq: number; last_event: number }>(
      `select last_seq, last_event from channels where id = $1`,
      [dmId],
    );
    const seq = await seqOf("is this still private?");
    const forged = bytesToBase64(
      new TextEncoder().encode(JSON.stringify({ kind: "text", text: "send me your password" })),
    );
    liar.inject(`/api/channels/${dmId}/socket`, {
      type: "message",
      message: {
        ...relayed(seq),
        seq: channel!.last_seq + 1,
        event: channel!.last_event + 2,
        clientId: "forged",
        senderDeviceId: null,
        payload: forged,
        replyToSeq: null,
        sentAt: new Date().toISOString(),
      },
    });
    await messageItem(bob, "This message cannot be read on this device: not end-to-end encrypted.").waitFor({
      timeout: LIVE_TIMEOUT_MS,
    });
    expect(await bob.getByRole("log").getByText("send me your password").count()).toBe(0);
  });

  it("shows a device the server slips into #general, as someone unknown who can read it", async () => {
    await registerOn(journey.server, "mallory", PASSWORD);
    const mallory = await journey.openPage();
    await signIn(mallory, "mallory");
    // Her device is set up once its KeyPackages are up: then it can be added.
    await expect.poll(() => keyPackagesOf("mallory"), { timeout: LIVE_TIMEOUT_MS }).toBeGreaterThan(0);
    // No invite, no join: the server writes her in.
    await journey.query(
      `insert into community_members (community_id, user_id) select $1, id from users where username = 'mallory'`,
      [acmeId],
    );
    await communityLink(alice, "Acme").click();
    await channelLink(alice, "#general").click();
    await waitUntilConnected(alice);
    // The page was never told of a new member: whoever the device was told to add, it shows as unknown.
    await roster(alice)
      .filter({ hasText: "someone unknown" })
      .filter({ hasText: "can now read new messages" })
      .waitFor({ timeout: LIVE_TIMEOUT_MS });
    await openLock(alice);
    await alice.getByRole("button", { name: "Who can read this" }).click();
    const readers = alice.getByTestId("group-readers").getByRole("listitem");
    await expect
      .poll(async () => (await readers.allInnerTexts()).sort())
      .toEqual([
        "alice (you): 1 device",
        "bob: 1 device, not verified",
        "someone not in this channel’s list: 1 device, not verified",
      ]);
    await mallory.context().close();
  });

  it("runs without a single Content-Security-Policy violation or script error", () => {
    expect(journey.problems).toEqual([]);
  });
});

const roster = (page: Page) => page.getByRole("log").getByTestId("roster-change");

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(liar.url);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("heading", { name: "Communities" }).waitFor();
}

async function send(page: Page, composer: string, text: string): Promise<void> {
  await page.getByLabel(composer).fill(text);
  await page.getByLabel(composer).press("Enter");
  await waitUntilDelivered(page, LIVE_TIMEOUT_MS);
}

async function keyPackagesOf(username: string): Promise<number> {
  const [row] = await journey.query<{ count: number }>(
    `select count(*)::int as count from key_packages p join device_keys d on d.session_id = p.session_id
     join users u on u.id = d.user_id where u.username = $1`,
    [username],
  );
  return row?.count ?? 0;
}

/** The seq of the message holding `text`, as alice's page shows it (the message element's id). */
async function seqOf(text: string): Promise<number> {
  const id = await messageItem(alice, text).first().locator("[id^='message-']").getAttribute("id");
  return Number(id?.replace("message-", ""));
}

/** The real server's view of the message at `seq`, as it went through the liar. */
function relayed(seq: number): MessageView {
  const views = liar.frames.flatMap((frame) =>
    (frame.type === "message" || frame.type === "ack") && frame.message.seq === seq ? [frame.message] : [],
  );
  const view = views.at(-1);
  if (!view) throw new Error(`no view of message ${seq} went through the liar`);
  return view;
}

/** The lock beside the channel's name opens what its encryption is: who can read it, verification. */
async function openLock(page: Page): Promise<void> {
  await page
    .locator(".chat-header")
    .getByRole("button", { name: /^Encryption/ })
    .click();
}
