/**
 * Messaging through real sockets and the real database: alice owns the community,
 * bob is a member, carol a moderator (MANAGE_MESSAGES, MENTION_EVERYONE). Each
 * action is checked by what the others' sockets receive and what history holds.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { ChannelView, MessageView, RoleView, UnreadView } from "../../protocol/index.ts";
import { CLOSE_TOO_MANY_SOCKETS, MESSAGE_EDITS_MAX } from "../../protocol/index.ts";
import {
  as,
  clientId,
  connect,
  createChannelIn,
  createCommunity,
  expectStatus,
  register,
  text,
  ticketFor,
  unique,
  upgrade,
  TestSocket,
  type Person,
} from "./fixtures.ts";

let alice: Person, bob: Person, carol: Person;
let communityId: string;
let channel: ChannelView;

beforeEach(async () => {
  [alice, bob, carol] = (await Promise.all(["alice", "bob", "carol"].map((name) => register(unique(name))))) as [
    Person,
    Person,
    Person,
  ];
  communityId = (await createCommunity(alice, bob, carol)).id;
  channel = await createChannelIn(alice, communityId);
  const role = await as(alice, "POST", `/api/communities/${communityId}/roles`, {
    name: "moderator",
    position: 5,
    permissions: ["MANAGE_MESSAGES", "MENTION_EVERYONE", "TIMEOUT_MEMBERS"],
  });
  const { id } = ((await role.json()) as { role: RoleView }).role;
  await expectStatus(
    await as(alice, "PUT", `/api/communities/${communityId}/members/${carol.user.id}/roles/${id}`),
    204,
  );
});

/** Sends a message and returns the acknowledged view. */
async function post(socket: TestSocket, body: string, extra: Record<string, unknown> = {}): Promise<MessageView> {
  const id = clientId();
  socket.send({ type: "send", clientId: id, payload: text(body), ...extra });
  return (await socket.next("ack", (frame) => frame.clientId === id)).message;
}

/** Sends a change request; resolves with `done`'s message or the error frame's code. */
async function request(socket: TestSocket, frame: Record<string, unknown>): Promise<MessageView | string> {
  const id = clientId();
  socket.send({ ...frame, clientId: id });
  const deadline = Date.now() + 5_000;
  for (;;) {
    const answer = socket.frames.find(
      (candidate) => (candidate.type === "done" || candidate.type === "error") && candidate.clientId === id,
    );
    if (answer?.type === "done") return answer.message;
    if (answer?.type === "error") return answer.code;
    if (Date.now() > deadline) throw new Error(`no answer: ${JSON.stringify(socket.frames)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function history(person: Person, query = ""): Promise<MessageView[]> {
  const response = await expectStatus(await as(person, "GET", `/api/channels/${channel.id}/messages${query}`), 200);
  return ((await response.json()) as { messages: MessageView[] }).messages;
}

describe("replies and threads", () => {
  it("a reply names the message it answers; one to a message that does not exist is refused and not stored", async () => {
    const aliceSocket = await connect(alice, channel.id);
    const bobSocket = await connect(bob, channel.id);
    const question = await post(aliceSocket, "lunch?");
    const answer = await post(bobSocket, "yes", { replyToSeq: question.seq });
    expect(answer.replyToSeq).toBe(question.seq);
    expect((await aliceSocket.next("message")).message).toEqual(answer);
    bobSocket.send({ type: "send", clientId: clientId(), payload: text("to nothing"), replyToSeq: 999 });
    expect((await bobSocket.next("error")).code).toBe("no_such_message");
    expect((await history(alice)).map((message) => message.seq)).toEqual([1, 2]);
  });

  it("a thread gathers its replies, readable on their own; a thread inside a thread is refused", async () => {
    const aliceSocket = await connect(alice, channel.id);
    const root = await post(aliceSocket, "release plan");
    const first = await post(aliceSocket, "step one", { threadRootSeq: root.seq });
    await post(aliceSocket, "unrelated");
    const second = await post(aliceSocket, "step two", { threadRootSeq: root.seq });
    const thread = await as(bob, "GET", `/api/channels/${channel.id}/threads/${root.seq}`);
    const replies = ((await thread.json()) as { messages: MessageView[] }).messages;
    expect(replies.map((message) => message.seq)).toEqual([first.seq, second.seq]);
    const [rootAsRead] = await history(bob, `?around=${root.seq}&limit=1`);
    expect(rootAsRead).toMatchObject({ seq: root.seq, threadReplyCount: 2 });
    aliceSocket.send({ type: "send", clientId: clientId(), payload: text("nested"), threadRootSeq: first.seq });
    expect((await aliceSocket.next("error")).code).toBe("no_such_message");
  });
});

describe("editing and deleting", () => {
  it("an edit replaces the payload for everyone and keeps the previous version", async () => {
    const aliceSocket = await connect(alice, channel.id);
    const bobSocket = await connect(bob, channel.id);
    const original = await post(aliceSocket, "helo");
    await bobSocket.next("message");
    const edited = await request(aliceSocket, { type: "edit", seq: original.seq, payload: text("hello") });
    expect(edited).toMatchObject({ seq: original.seq, payload: text("hello"), editedAt: expect.any(String) });
    const update = await bobSocket.next("update");
    expect(update.message).toEqual(edited);
    expect(update.message.event).toBeGreaterThan(original.event);
    const versions = await as(bob, "GET", `/api/channels/${channel.id}/messages/${original.seq}/versions`);
    expect(((await versions.json()) as { versions: { payload: string }[] }).versions).toEqual([
      expect.objectContaining({ payload: text("helo") }),
    ]);
  });

  it("nobody edits someone else's message, or one that does not exist", async () => {
    const aliceSocket = await connect(alice, channel.id);
    const bobSocket = await connect(bob, channel.id);
    const mine = await post(aliceSocket, "mine");
    expect(await request(bobSocket, { type: "edit", seq: mine.seq, payload: text("ours") })).toBe("not_yours");
    expect(await request(bobSocket, { type: "edit", seq: 999, payload: text("x") })).toBe("no_such_message");
    expect((await history(alice))[0]!.payload).toBe(text("mine"));
  });

  it(`keeps at most ${MESSAGE_EDITS_MAX} earlier versions: one more edit is refused and changes nothing`, async () => {
    const aliceSocket = await connect(alice, channel.id);
    const original = await post(aliceSocket, "version 0");
    const edit = async (body: string) => {
      for (;;) {
        const answer = await request(aliceSocket, { type: "edit", seq: original.seq, payload: text(body) });
        if (answer !== "rate_limited") return answer;
        await new Promise((resolve) => setTimeout(resolve, 150)); // the frame limit, not the edit limit
      }
    };
    for (let version = 1; version <= MESSAGE_EDITS_MAX; version++) {
      expect(await edit(`version ${version}`)).toMatchObject({ payload: text(`version ${version}`) });
    }
    expect(await edit("one too many")).toBe("limit_reached");
    expect((await history(alice))[0]!.payload).toBe(text(`version ${MESSAGE_EDITS_MAX}`));
    const versions = await as(alice, "GET", `/api/channels/${channel.id}/messages/${original.seq}/versions`);
    const kept = ((await versions.json()) as { versions: { payload: string }[] }).versions;
    expect(kept).toHaveLength(MESSAGE_EDITS_MAX);
    expect(kept[0]!.payload).toBe(text("version 0"));
  });

  it("deleting leaves a tombstone without the payload or earlier versions", async () => {
    const aliceSocket = await connect(alice, channel.id);
    const bobSocket = await connect(bob, channel.id);
    const message = await post(aliceSocket, "oops");
    await request(aliceSocket, { type: "edit", seq: message.seq, payload: text("oops, again") });
    const deleted = await request(aliceSocket, { type: "delete", seq: message.seq });
    expect(deleted).toMatchObject({ payload: "", deletedAt: expect.any(String), deletedBy: alice.user.id });
    await bobSocket.next("update", (frame) => frame.message.deletedAt !== null);
    expect((await history(bob))[0]).toMatchObject({ seq: message.seq, payload: "", deletedBy: alice.user.id });
    const versions = await as(bob, "GET", `/api/channels/${channel.id}/messages/${message.seq}/versions`);
    expect(((await versions.json()) as { versions: unknown[] }).versions).toEqual([]);
    expect(await request(aliceSocket, { type: "edit", seq: message.seq, payload: text("back") })).toBe(
      "no_such_message",
    );
  });

  it("a member cannot delete others' messages; a moderator can, and it is audited", async () => {
    const bobSocket = await connect(bob, channel.id);
    const carolSocket = await connect(carol, channel.id);
    const aliceSocket = await connect(alice, channel.id);
    const spam = await post(bobSocket, "buy now");
    const aliceMessage = await post(aliceSocket, "hello");
    expect(await request(bobSocket, { type: "delete", seq: aliceMessage.seq })).toBe("not_yours");
    expect(await request(carolSocket, { type: "delete", seq: spam.seq })).toMatchObject({ deletedBy: carol.user.id });
    const audit = await as(alice, "GET", `/api/communities/${communityId}/audit`);
    expect(((await audit.json()) as { events: unknown[] }).events).toContainEqual(
      expect.objectContaining({ action: "message.deleted", actorId: carol.user.id, targetUserId: bob.user.id }),
    );
  });

  it("keeps the sender's sealed deletion in the tombstone, and no one else's", async () => {
    const bobSocket = await connect(bob, channel.id);
    const carolSocket = await connect(carol, channel.id);
    const own = await post(bobSocket, "mine to take back");
    const spam = await post(bobSocket, "buy now");
    const proof = text("bob's device sealed this deletion");
    expect(await request(bobSocket, { type: "delete", seq: own.seq, proof })).toMatchObject({
      payload: proof,
      deletedBy: bob.user.id,
    });
    expect(await request(carolSocket, { type: "delete", seq: spam.seq, proof })).toMatchObject({
      payload: "",
      deletedBy: carol.user.id,
    });
    const again = await post(bobSocket, "again");
    bobSocket.send({ type: "delete", clientId: clientId(), seq: again.seq, proof: text("x".repeat(1024)) });
    expect((await bobSocket.next("error")).code).toBe("invalid_frame");
  });
});

describe("reactions", () => {
  it("are counted per emoji with who reacted, shown to everyone, and taken back", async () => {
    const aliceSocket = await connect(alice, channel.id);
    const bobSocket = await connect(bob, channel.id);
    const message = await post(aliceSocket, "ship it?");
    await bobSocket.next("message");
    const reacted = await request(bobSocket, { type: "react", seq: message.seq, emoji: "👍" });
    expect((reacted as MessageView).reactions).toEqual([{ emoji: "👍", count: 1, userIds: [bob.user.id] }]);
    expect((await aliceSocket.next("update")).message.reactions).toEqual([
      { emoji: "👍", count: 1, userIds: [bob.user.id] },
    ]);
    // The same reaction again changes nothing and tells nobody.
    await request(bobSocket, { type: "react", seq: message.seq, emoji: "👍" });
    const both = await request(aliceSocket, { type: "react", seq: message.seq, emoji: "👍" });
    expect((both as MessageView).reactions).toEqual([{ emoji: "👍", count: 2, userIds: [bob.user.id, alice.user.id] }]);
    const taken = await request(bobSocket, { type: "unreact", seq: message.seq, emoji: "👍" });
    expect((taken as MessageView).reactions).toEqual([{ emoji: "👍", count: 1, userIds: [alice.user.id] }]);
    expect((await history(carol))[0]!.reactions).toEqual([{ emoji: "👍", count: 1, userIds: [alice.user.id] }]);
  });

  it("stop at twenty different emoji on one message, and refuse an emoji with spaces", async () => {
    const aliceSocket = await connect(alice, channel.id);
    const message = await post(aliceSocket, "vote");
    for (let index = 0; index < 20; index++) {
      expect(typeof (await request(aliceSocket, { type: "react", seq: message.seq, emoji: `:e${index}:` }))).toBe(
        "object",
      );
    }
    expect(await request(aliceSocket, { type: "react", seq: message.seq, emoji: ":one-more:" })).toBe("limit_reached");
    aliceSocket.send({ type: "react", clientId: clientId(), seq: message.seq, emoji: "two words" });
    // Unparseable frames are answered without a client id (nothing in them is trusted).
    expect((await aliceSocket.next("error", (frame) => !frame.clientId)).code).toBe("invalid_frame");
  });

  it("need ADD_REACTIONS: a timed-out member cannot react, but can take a reaction back", async () => {
    const aliceSocket = await connect(alice, channel.id);
    const bobSocket = await connect(bob, channel.id);
    const message = await post(aliceSocket, "hi");
    await request(bobSocket, { type: "react", seq: message.seq, emoji: "🎉" });
    await expectStatus(
      await as(carol, "POST", `/api/communities/${communityId}/members/${bob.user.id}/timeout`, { minutes: 5 }),
      200,
    );
    await bobSocket.next("permissions");
    expect(await request(bobSocket, { type: "react", seq: message.seq, emoji: "👀" })).toBe("missing_permission");
    expect(await request(bobSocket, { type: "unreact", seq: message.seq, emoji: "🎉" })).toMatchObject({
      reactions: [],
    });
  });
});

describe("pins and mentions", () => {
  it("pinning needs MANAGE_MESSAGES; pins are listed and can be removed", async () => {
    const bobSocket = await connect(bob, channel.id);
    const carolSocket = await connect(carol, channel.id);
    const rules = await post(bobSocket, "the rules");
    expect(await request(bobSocket, { type: "pin", seq: rules.seq })).toBe("missing_permission");
    expect(await request(carolSocket, { type: "pin", seq: rules.seq })).toMatchObject({ pinnedBy: carol.user.id });
    expect((await bobSocket.next("update")).message.pinnedAt).toEqual(expect.any(String));
    const pins = async () =>
      ((await (await as(bob, "GET", `/api/channels/${channel.id}/pins`)).json()) as { messages: MessageView[] })
        .messages;
    expect((await pins()).map((message) => message.seq)).toEqual([rules.seq]);
    await request(carolSocket, { type: "unpin", seq: rules.seq });
    expect(await pins()).toEqual([]);
  });

  it("mentioning people is open to all; @everyone, @here and roles need MENTION_EVERYONE", async () => {
    const bobSocket = await connect(bob, channel.id);
    const carolSocket = await connect(carol, channel.id);
    const named = await post(bobSocket, "hey carol", { mentions: { userIds: [carol.user.id] } });
    expect(named.mentions).toEqual({ userIds: [carol.user.id], roleIds: [], everyone: false, here: false });
    bobSocket.send({ type: "send", clientId: clientId(), payload: text("everyone!"), mentions: { everyone: true } });
    expect((await bobSocket.next("error")).code).toBe("missing_permission");
    const announced = await post(carolSocket, "meeting now", { mentions: { here: true } });
    expect(announced.mentions.here).toBe(true);
  });
});

describe("typing, read positions and unread counts", () => {
  it("typing reaches the others at most once every few seconds per socket", async () => {
    const aliceSocket = await connect(alice, channel.id);
    const bobSocket = await connect(bob, channel.id);
    bobSocket.send({ type: "typing" });
    bobSocket.send({ type: "typing" });
    expect(await aliceSocket.next("typing")).toEqual({
      type: "typing",
      userId: bob.user.id,
      username: bob.user.username,
    });
    await post(aliceSocket, "marker");
    expect(aliceSocket.frames.filter((frame) => frame.type === "typing")).toEqual([]);
  });

  it("counts unread messages and mentions per channel, moves with the read position, and syncs devices", async () => {
    const aliceSocket = await connect(alice, channel.id);
    await post(aliceSocket, "one");
    await post(aliceSocket, "two", { mentions: { userIds: [bob.user.id] } });
    const third = await post(aliceSocket, "three");
    const counts = async () => {
      const response = await expectStatus(await as(bob, "GET", "/api/unread"), 200);
      return ((await response.json()) as { channels: UnreadView[] }).channels.find(
        (row) => row.channelId === channel.id,
      );
    };
    expect(await counts()).toMatchObject({ lastSeq: 3, lastReadSeq: 0, unread: 3, mentions: 1 });

    const phone = await connect(bob, channel.id);
    const laptop = await connect(bob, channel.id);
    laptop.send({ type: "read", seq: 2 });
    expect(await phone.next("read")).toEqual({ type: "read", seq: 2 });
    expect(await counts()).toMatchObject({ lastReadSeq: 2, unread: 1, mentions: 0 });
    // Positions never move back, and never past the last message.
    await expectStatus(await as(bob, "PUT", `/api/channels/${channel.id}/read`, { seq: 1 }), 200);
    const far = await as(bob, "PUT", `/api/channels/${channel.id}/read`, { seq: 999 });
    expect(await far.json()).toEqual({ lastReadSeq: third.seq });
    await post(aliceSocket, "four");
    await expectStatus(await as(bob, "POST", "/api/unread/mark-all-read"), 204);
    expect(await counts()).toMatchObject({ lastReadSeq: 4, unread: 0 });
  });
});

describe("the channels unread counts cover", () => {
  /** A community's channels as its owner sees them (all of them), by name. */
  async function channelsOf(owner: Person, id: string): Promise<Map<string, string>> {
    const response = await expectStatus(await as(owner, "GET", `/api/communities/${id}/channels`), 200);
    const { channels } = (await response.json()) as { channels: ChannelView[] };
    return new Map(channels.map((listed) => [listed.name, listed.id]));
  }

  it("are every channel bob may view in each of his communities, and his DMs, and no other", async () => {
    const secret = await createChannelIn(alice, communityId, { isPrivate: true });
    const hidden = await createChannelIn(alice, communityId);
    const shownToBob = await createChannelIn(alice, communityId);
    const roles = (
      (await (await as(alice, "GET", `/api/communities/${communityId}/roles`)).json()) as {
        roles: RoleView[];
      }
    ).roles;
    const everyone = roles.find((role) => role.isEveryone)!;
    for (const { id } of [hidden, shownToBob]) {
      await expectStatus(
        await as(alice, "PUT", `/api/channels/${id}/overrides/roles/${everyone.id}`, { deny: ["VIEW_CHANNEL"] }),
        204,
      );
    }
    await expectStatus(
      await as(alice, "PUT", `/api/channels/${shownToBob.id}/overrides/members/${bob.user.id}`, {
        allow: ["VIEW_CHANNEL"],
      }),
      204,
    );
    const carols = (await createCommunity(carol, bob)).id;
    const carolsSecond = await createChannelIn(carol, carols);
    const notBobs = (await createCommunity(alice, carol)).id;
    const dm = await expectStatus(await as(alice, "POST", "/api/dms", { userIds: [bob.user.id] }), 201);
    const dmId = ((await dm.json()) as { channel: ChannelView }).channel.id;

    const listed = await expectStatus(await as(bob, "GET", "/api/unread"), 200);
    const ids = ((await listed.json()) as { channels: UnreadView[] }).channels.map((row) => row.channelId);
    expect(ids.toSorted()).toEqual(
      [
        (await channelsOf(alice, communityId)).get("general")!,
        channel.id,
        shownToBob.id,
        (await channelsOf(carol, carols)).get("general")!,
        carolsSecond.id,
        dmId,
      ].toSorted(),
    );
    for (const unseen of [secret.id, hidden.id, ...(await channelsOf(alice, notBobs)).values()]) {
      expect(ids).not.toContain(unseen);
    }
  });
});

describe("history pages", () => {
  it("go before, after and around a message", async () => {
    const socket = await connect(alice, channel.id);
    for (let index = 1; index <= 9; index++) await post(socket, `m${index}`);
    const seqs = async (query: string) => (await history(bob, query)).map((message) => message.seq);
    expect(await seqs("?after=6")).toEqual([7, 8, 9]);
    expect(await seqs("?after=2&limit=2")).toEqual([3, 4]);
    expect(await seqs("?around=5&limit=4")).toEqual([3, 4, 5, 6]);
    expect(await seqs("?before=3")).toEqual([1, 2]);
    expect((await as(bob, "GET", `/api/channels/${channel.id}/messages?before=3&after=1`)).status).toBe(400);
  });
});

describe("resuming after a disconnect", () => {
  it("delivers every message created or changed since the last event seen, in order, then says synced", async () => {
    const first = await connect(alice, channel.id);
    const kept = await post(first, "before the drop");
    const lastSeen = kept.event;
    first.close();

    const bobSocket = await connect(bob, channel.id);
    const missed = await post(bobSocket, "while you were away");
    await request(bobSocket, { type: "react", seq: kept.seq, emoji: "👋" });
    await post(bobSocket, "and this");
    await request(bobSocket, { type: "edit", seq: missed.seq, payload: text("while you were out") });

    const again = await connect(alice, channel.id);
    again.send({ type: "resume", afterEvent: lastSeen });
    for (let waited = 0; !again.frames.some((frame) => frame.type === "synced") && waited < 5_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const synced = again.frames.find((frame) => frame.type === "synced");
    const caughtUp = again.frames.flatMap((frame) => (frame.type === "sync" ? frame.messages : []));
    // Event order: the reaction changed the first message after "while you were away" was sent.
    expect(caughtUp.map((message) => message.seq)).toEqual([kept.seq, missed.seq + 1, missed.seq]);
    expect(caughtUp[0]!.reactions).toEqual([{ emoji: "👋", count: 1, userIds: [bob.user.id] }]);
    expect(caughtUp[2]!.payload).toBe(text("while you were out"));
    const events = caughtUp.map((message) => message.event);
    expect(events).toEqual([...events].sort((a, b) => a - b));
    expect(synced).toEqual({ type: "synced", lastEvent: events[events.length - 1], hasMore: false });
    // Nothing to catch up from the newest event.
    again.send({ type: "resume", afterEvent: events[events.length - 1]! });
    expect(await again.next("synced", (frame) => frame.lastEvent === events[events.length - 1])).toBeTruthy();
  });
});

describe("frames of one commit", () => {
  it("reach each member as one socket frame, in order; a lone message comes as it is", async () => {
    const aliceSocket = await connect(alice, channel.id);
    const bobSocket = await connect(bob, channel.id);
    // The first is stored at once; the others gather behind it and share the next commit.
    const ids = Array.from({ length: 12 }, () => clientId());
    ids.forEach((id, index) => aliceSocket.send({ type: "send", clientId: id, payload: text(`burst ${index}`) }));
    for (const id of ids) await aliceSocket.next("ack", (frame) => frame.clientId === id);
    const relayed = [];
    for (const _ of ids) relayed.push((await bobSocket.next("message")).message);
    expect(relayed.map((message) => message.payload)).toEqual(ids.map((_, index) => text(`burst ${index}`)));
    expect(relayed.map((message) => message.seq)).toEqual(ids.map((_, index) => index + 1));
    const batches = bobSocket.received.filter((frame) => frame.type === "frames");
    expect(batches.length).toBeGreaterThan(0);
    expect(bobSocket.received.length).toBeLessThan(1 + ids.length); // the welcome, then fewer frames than messages
    expect(bobSocket.received[0]?.type).toBe("welcome");

    const before = bobSocket.received.length;
    const alone = await post(aliceSocket, "alone");
    await bobSocket.next("message", (frame) => frame.message.id === alone.id);
    expect(bobSocket.received.slice(before)).toEqual([{ type: "message", message: alone }]);
  });
});

describe("several channels at once", () => {
  it("number each channel's messages on their own, gap-free and in send order, resends included", async () => {
    // Rooms that wait at the same moment share one statement (db/append-groups.ts): eight
    // channels, each sent a burst in the same instant, with a resend in each (40 frames,
    // within the account's burst of 60 across its sockets: rooms/user-budget.ts).
    const channels = [
      channel,
      ...(await Promise.all(Array.from({ length: 7 }, () => createChannelIn(alice, communityId)))),
    ];
    const sockets = await Promise.all(channels.map((each) => connect(alice, each.id)));
    const sent = channels.map(() => Array.from({ length: 4 }, () => clientId()));
    for (let index = 0; index < 4; index++) {
      sockets.forEach((socket, at) =>
        socket.send({ type: "send", clientId: sent[at]![index]!, payload: text(`#${at} ${index}`) }),
      );
    }
    sockets.forEach((socket, at) => socket.send({ type: "send", clientId: sent[at]![2]!, payload: text(`#${at} 2`) }));
    for (const [at, socket] of sockets.entries()) {
      const acks: MessageView[] = [];
      for (const _ of Array.from({ length: 5 })) acks.push((await socket.next("ack")).message);
      // The resend is answered with the message it repeats, whenever it came in the burst.
      const bySent = sent[at]!.map((id) => acks.filter((message) => message.clientId === id));
      expect(bySent.map((answers) => answers.length)).toEqual([1, 1, 2, 1]);
      expect(bySent.map((answers) => answers[0]!.seq)).toEqual([1, 2, 3, 4]);
      expect(bySent[2]![1]).toEqual(bySent[2]![0]);
      const response = await as(alice, "GET", `/api/channels/${channels[at]!.id}/messages`);
      const stored = ((await response.json()) as { messages: MessageView[] }).messages;
      expect(stored.map((message) => [message.seq, message.payload])).toEqual(
        sent[at]!.map((_, index) => [index + 1, text(`#${at} ${index}`)]),
      );
    }
  });
});

describe("limits", () => {
  it("resends of one client id in the same instant are stored once and relayed once", async () => {
    const aliceSocket = await connect(alice, channel.id);
    const bobSocket = await connect(bob, channel.id);
    const id = clientId();
    for (let index = 0; index < 3; index++) aliceSocket.send({ type: "send", clientId: id, payload: text("once") });
    const acks = [await aliceSocket.next("ack"), await aliceSocket.next("ack"), await aliceSocket.next("ack")];
    expect(new Set(acks.map((ack) => ack.message.id)).size).toBe(1);
    await post(aliceSocket, "after");
    expect((await bobSocket.next("message")).message.payload).toBe(text("once"));
    expect((await bobSocket.next("message")).message.payload).toBe(text("after"));
    expect((await history(alice)).map((message) => message.seq)).toEqual([1, 2]);
  });

  it("an account holds at most SOCKETS_PER_USER sockets (64 in the tests); one more is closed with 4029", async () => {
    const open: TestSocket[] = [];
    for (let index = 0; index < 64; index++) open.push(await connect(bob, channel.id));
    const response = await upgrade(`/api/channels/${channel.id}/socket?ticket=${await ticketFor(bob, channel.id)}`);
    const extra = new TestSocket(response.webSocket!);
    expect(await extra.closed()).toBe(CLOSE_TOO_MANY_SOCKETS);
    open.pop()!.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await connect(bob, channel.id);
  }, 30_000);
});
