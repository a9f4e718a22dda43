/**
 * A server that lies about the context of genuine messages (issue 17, attack 3). The
 * clients talk to the real server through an attacker's proxy (test/support/lying-server.ts)
 * that rewrites history pages: it changes what a message replies to and its thread,
 * swaps two messages, leaves one out and closes the hole, serves an old one again as
 * new, moves one to another channel, and claims deletions nobody signed. Each lie is
 * shown to the reader in words, next to the text; honest traffic (pages loaded newest
 * first, edits, the sender's own deletions, history-key shares) shows no warning.
 *
 * alice owns the community (a moderator), bob sends, carol reads; alice reads too
 * where carol's memory of earlier lies would be in the way.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChannelView, MessageView } from "../../protocol/index.ts";
import { chatalotCiphersuite, type Opened } from "../../e2ee/index.ts";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { SimulatedDevice } from "../support/e2ee-device.ts";
import { startLyingServer, type LyingServer } from "../support/lying-server.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const PASSWORD = "a long enough password";

let database: TestDatabase;
let server: RunningServer;
let liar: LyingServer & RunningServer;
let alice: SimulatedDevice, bob: SimulatedDevice, carol: SimulatedDevice;
let general: string;
let conversation: string;

type Placement = { replyToSeq?: number; threadRootSeq?: number };

/** `device` sends `text` as the web does: placement sealed and in the frame, and its own ack read back. */
async function say(device: SimulatedDevice, channelId: string, text: string, placement: Placement = {}) {
  const socket = await device.connect(channelId);
  const clientId = `say${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const payload = await device.seal(channelId, { kind: "text", text, ...placement });
  socket.socket.send(JSON.stringify({ type: "send", clientId, payload, ...placement }));
  const { message } = await socket.next("ack", (frame) => frame.clientId === clientId);
  socket.close();
  await device.open(message);
  return message;
}

/** A change (edit, delete) through the socket; resolves with the changed view. */
async function change(device: SimulatedDevice, channelId: string, frame: Record<string, unknown>) {
  const socket = await device.connect(channelId);
  const clientId = `chg${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  socket.socket.send(JSON.stringify({ ...frame, clientId }));
  const { message } = await socket.next("done", (done) => done.clientId === clientId);
  socket.close();
  return message;
}

/** A history page as the (lying) server serves it. */
async function page(device: SimulatedDevice, channelId: string, query: string): Promise<MessageView[]> {
  return (await device.api<{ messages: MessageView[] }>("GET", `/api/channels/${channelId}/messages?${query}`))
    .messages;
}

/** Every message of the page opened in its order, as the web does: what the reader is shown, by seq. */
async function read(device: SimulatedDevice, messages: MessageView[]): Promise<Map<number, Opened>> {
  const shown = new Map<number, Opened>();
  for (const message of messages) shown.set(message.seq, await device.open(message));
  return shown;
}

const warningsOf = (opened: Opened | undefined) => (opened?.ok ? opened.context.warnings : [`(${opened?.reason})`]);
const textOf = (opened: Opened | undefined) =>
  opened?.ok && opened.content.kind === "text" ? opened.content.text : null;

/** The server's pages of `channelId`, rewritten by `rewrite` for this test only. */
function lieAbout(channelId: string, rewrite: (messages: MessageView[]) => MessageView[]) {
  liar.tellTheTruth();
  liar.responseLies.push((request, status, body) =>
    status === 200 && request.path.startsWith(`/api/channels/${channelId}/messages?`)
      ? { ...body, messages: rewrite(body.messages) }
      : undefined,
  );
}

beforeAll(async () => {
  database = await createTestDatabase("e2ee_lying_context");
  server = await startServer({ databaseUrl: database.url });
  liar = await startLyingServer(server);
  const cipherSuite = await chatalotCiphersuite();
  const accounts: Account[] = [];
  for (const name of ["admin", "bob", "carol"]) accounts.push(await registerOn(server, name, PASSWORD));
  const devices: SimulatedDevice[] = [];
  for (const account of accounts) devices.push(await SimulatedDevice.setUp(liar, account, cipherSuite));
  [alice, bob, carol] = devices as [SimulatedDevice, SimulatedDevice, SimulatedDevice];
  const [owner, bobAccount, carolAccount] = accounts as [Account, Account, Account];
  const created = await call(server, "/api/communities", { token: owner.token, body: { name: "Lies" } });
  const communityId = created.body.community.id as string;
  const invite = await call(server, `/api/communities/${communityId}/invites`, { token: owner.token, body: {} });
  for (const account of [bobAccount, carolAccount]) {
    await call(server, "/api/community-invites/accept", { token: account.token, body: { code: invite.body.code } });
  }
  const channels = await call(server, `/api/communities/${communityId}/channels`, { token: owner.token });
  general = channels.body.channels.find((channel: { name: string }) => channel.name === "general").id;
  await alice.startGroup(general);
  await alice.commitPending(general); // adds bob and carol, and shares the history keys (a public channel)
  expect((await bob.acceptWelcomes()).sort()).toEqual([general]);
  await carol.acceptWelcomes();
  conversation = (await bob.api<{ channel: ChannelView }>("POST", "/api/dms", { userIds: [carolAccount.id] })).channel
    .id;
  await bob.startGroup(conversation);
  await bob.commitPending(conversation);
  await carol.acceptWelcomes();
}, 120_000);

afterAll(async () => {
  await liar?.stop();
  await server?.stop();
  await database?.stop();
});

describe("context a lying server rewrites", () => {
  it("shows honest traffic without a warning: pages newest first, edits, the sender's deletion, history keys", async () => {
    const question = await say(bob, general, "lunch at one?");
    const answer = await say(bob, general, "or at two", { replyToSeq: question.seq });
    const aside = await say(bob, general, "(in the thread)", { threadRootSeq: question.seq });
    await say(bob, general, "see you");
    const edit = { kind: "text", text: "or at half past one", editOf: answer.seq, replyToSeq: question.seq } as const;
    await change(bob, general, { type: "edit", seq: answer.seq, payload: await bob.seal(general, edit) });
    const deletion = await bob.sealDeletion(general, aside.seq);
    expect(await change(bob, general, { type: "delete", seq: aside.seq, proof: deletion })).toMatchObject({
      payload: deletion,
      deletedBy: bob.userId,
    });

    const newest = await page(carol, general, "limit=2");
    const older = await page(carol, general, `limit=50&before=${newest[0]!.seq}`);
    const shown = new Map([...(await read(carol, newest)), ...(await read(carol, older))]);
    expect(older.some((message) => message.clientId.startsWith("keys-"))).toBe(true);
    for (const opened of shown.values()) {
      if (opened.ok) expect(opened.context.warnings).toEqual([]);
    }
    expect(textOf(shown.get(answer.seq))).toBe("or at half past one");
    expect(shown.get(answer.seq)).toMatchObject({ context: { sealed: { replyToSeq: question.seq } } });
    expect(shown.get(aside.seq)).toMatchObject({ ok: false, reason: "deleted by its sender", removedBy: "sender" });
  });

  it("warns when the server changes what a message replies to, or its thread", async () => {
    const first = await say(bob, general, "first");
    const reply = await say(bob, general, "a reply to the first", { replyToSeq: first.seq });
    const threaded = await say(bob, general, "in the first's thread", { threadRootSeq: first.seq });
    lieAbout(general, (messages) =>
      messages.map((message) =>
        message.seq === reply.seq
          ? { ...message, replyToSeq: null }
          : message.seq === threaded.seq
            ? { ...message, threadRootSeq: null, replyToSeq: first.seq }
            : message,
      ),
    );
    const shown = await read(carol, await page(carol, general, `after=${first.seq - 1}`));
    liar.tellTheTruth();
    expect(warningsOf(shown.get(first.seq))).toEqual([]);
    expect(textOf(shown.get(reply.seq))).toBe("a reply to the first");
    expect(warningsOf(shown.get(reply.seq))).toEqual([
      "its sender wrote it as a reply, but the message it replies to is not shown",
    ]);
    expect(warningsOf(shown.get(threaded.seq))).toEqual([
      "shown as a reply, but its sender did not reply to anything",
      "its sender posted it in a thread, but it is shown outside it",
    ]);
  });

  it("detects two messages of one sender swapped in a history page", async () => {
    const early = await say(bob, general, "step one");
    const late = await say(bob, general, "step two");
    lieAbout(general, (messages) => {
      const [a, b] = [messages.find((m) => m.seq === early.seq)!, messages.find((m) => m.seq === late.seq)!];
      return messages.map((m) => (m === a ? { ...b, seq: a.seq } : m === b ? { ...a, seq: b.seq } : m));
    });
    const shown = await read(alice, await page(alice, general, `after=${early.seq - 1}`));
    liar.tellTheTruth();
    expect(textOf(shown.get(early.seq))).toBe("step two");
    expect(warningsOf(shown.get(late.seq))).toEqual([
      "out of order: its sender sent it before a message the server shows ahead of it",
    ]);
  });

  it("detects a message left out once the next one is read in order, the hole closed", async () => {
    const kept = await say(bob, general, "the code is");
    const dropped = await say(bob, general, "4-8-15");
    const after = await say(bob, general, "do not share it");
    lieAbout(general, (messages) =>
      messages
        .filter((message) => message.seq !== dropped.seq)
        .map((message) => (message.seq === after.seq ? { ...message, seq: dropped.seq } : message)),
    );
    const shown = await read(carol, await page(carol, general, `after=${kept.seq - 1}`));
    liar.tellTheTruth();
    expect(warningsOf(shown.get(kept.seq))).toEqual([]);
    expect(textOf(shown.get(dropped.seq))).toBe("do not share it");
    expect(warningsOf(shown.get(dropped.seq))).toEqual([
      "missing: the server left out a message its sender sent before this one",
    ]);
  });

  it("detects an old message served again as a new one, by a device that never read it", async () => {
    const old = await say(bob, general, "the door code is 1234");
    const later = await say(bob, general, "changed it");
    await change(bob, general, {
      type: "delete",
      seq: old.seq,
      proof: await bob.sealDeletion(general, old.seq),
    });
    const lastSeq = later.seq;
    lieAbout(general, (messages) => [
      ...messages,
      { ...old, id: crypto.randomUUID(), seq: lastSeq + 1, event: lastSeq + 1000, clientId: "replayed-door-code" },
    ]);
    const shown = await read(alice, await page(alice, general, `after=${old.seq - 1}`));
    liar.tellTheTruth();
    expect(shown.get(old.seq)).toMatchObject({ removedBy: "sender" });
    expect(textOf(shown.get(lastSeq + 1))).toBe("the door code is 1234");
    expect(warningsOf(shown.get(lastSeq + 1))).toEqual([
      "out of order: its sender sent it before a message the server shows ahead of it",
    ]);
    // The same envelope again, to a device that read it: refused as a replay.
    const twice = await say(bob, general, "meet at the gate");
    await read(alice, [twice]);
    expect(await alice.open({ ...twice, seq: twice.seq + 1 })).toEqual({ ok: false, reason: "a replayed message" });
    // Its edit (a new envelope, the same place in bob's numbering) served as a new message.
    const edited = await bob.seal(general, { kind: "text", text: "meet at the north gate", editOf: twice.seq });
    await change(bob, general, { type: "edit", seq: twice.seq, payload: edited });
    const copy = { ...twice, id: crypto.randomUUID(), seq: twice.seq + 1, payload: edited, clientId: "replayed-gate" };
    expect(warningsOf(await alice.open(copy))).toEqual([
      "an edit its sender made to another message, shown in this one's place",
      "served again: a copy of a message its sender sent once, shown in another place",
    ]);
  });

  it("refuses a message moved from one channel into another", async () => {
    await say(bob, conversation, "hi carol");
    const moved = await say(bob, general, "said in #general only");
    const last = (await page(carol, conversation, "limit=1"))[0]!;
    lieAbout(conversation, (messages) => [
      ...messages,
      { ...moved, channelId: conversation, seq: last.seq + 1, event: last.event + 1 },
    ]);
    const shown = await read(carol, await page(carol, conversation, "limit=5"));
    liar.tellTheTruth();
    expect(shown.get(last.seq + 1)).toMatchObject({ ok: false, reason: expect.stringMatching(/integrity check/) });
  });

  it("shows a deletion nobody signed as removed by someone other than its sender", async () => {
    const target = await say(bob, general, "this stays unless bob removes it");
    const other = await say(bob, general, "bob deletes this one himself");
    const proof = await bob.sealDeletion(general, other.seq);
    await change(bob, general, { type: "delete", seq: other.seq, proof });
    const deletedAt = new Date().toISOString();
    for (const payload of ["", proof]) {
      // Unsigned, then with bob's genuine proof for another message moved onto this one.
      lieAbout(general, (messages) =>
        messages.map((message) =>
          message.seq === target.seq ? { ...message, payload, deletedAt, deletedBy: bob.userId } : message,
        ),
      );
      const shown = await read(carol, await page(carol, general, `after=${target.seq - 1}`));
      liar.tellTheTruth();
      expect(shown.get(target.seq)).toMatchObject({
        ok: false,
        removedBy: "someone else",
        reason:
          "removed by someone other than its sender: the server says its sender deleted it, but they did not sign that",
      });
      expect(shown.get(other.seq)).toMatchObject({ removedBy: "sender" });
    }
  });

  it("labels a moderator's deletion as such", async () => {
    const spam = await say(bob, general, "buy now");
    expect(await change(alice, general, { type: "delete", seq: spam.seq })).toMatchObject({ payload: "" });
    const shown = await read(carol, await page(carol, general, `after=${spam.seq - 1}`));
    expect(shown.get(spam.seq)).toMatchObject({ ok: false, reason: "removed by a moderator", removedBy: "moderator" });
  });
});
