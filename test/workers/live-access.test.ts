/**
 * Access changes reach open sockets at once: alice owns the community, bob is a
 * member with a socket open in a channel, carol a moderator. Each moderation or
 * permission change is checked by what bob's socket does right after it.
 */
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { query } from "../../db/index.ts";
import type { ChannelView, CommunityView, MembershipEventView, RoleView } from "../../protocol/index.ts";
import { CLOSE_ACCESS_REMOVED, CLOSE_SESSION_ENDED } from "../../protocol/index.ts";
import {
  as,
  clientId,
  connect,
  createChannelIn,
  createCommunity,
  errorCode,
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
let community: CommunityView;
let channel: ChannelView;
let moderator: RoleView;

beforeEach(async () => {
  [alice, bob, carol] = (await Promise.all(["alice", "bob", "carol"].map((name) => register(unique(name))))) as [
    Person,
    Person,
    Person,
  ];
  community = await createCommunity(alice, bob, carol);
  channel = await createChannelIn(alice, community.id);
  const role = await as(alice, "POST", `/api/communities/${community.id}/roles`, {
    name: "moderator",
    position: 5,
    permissions: ["KICK_MEMBERS", "BAN_MEMBERS", "TIMEOUT_MEMBERS", "MANAGE_MESSAGES", "MANAGE_CHANNELS"],
  });
  moderator = ((await role.json()) as { role: RoleView }).role;
  await expectStatus(
    await as(alice, "PUT", `/api/communities/${community.id}/members/${carol.user.id}/roles/${moderator.id}`),
    204,
  );
});

async function sends(
  socket: TestSocket,
  body = "hello",
): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
  const id = clientId();
  socket.send({ type: "send", clientId: id, payload: text(body) });
  const deadline = Date.now() + 5_000;
  for (;;) {
    const answer = socket.frames.find(
      (frame) => (frame.type === "ack" || frame.type === "error") && frame.clientId === id,
    );
    if (answer?.type === "ack") return { ok: true };
    if (answer?.type === "error") return { ok: false, code: answer.code, message: answer.message };
    if (Date.now() > deadline) throw new Error(`no answer to a send: ${JSON.stringify(socket.frames)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const events = async (person: Person) =>
  (
    (await (await as(person, "GET", `/api/communities/${community.id}/membership-events`)).json()) as {
      events: MembershipEventView[];
    }
  ).events;

describe("a moderation action on a member with an open socket", () => {
  it("kick: the socket closes at once, a new ticket is refused, and the kick is logged and published", async () => {
    const socket = await connect(bob, channel.id);
    await expectStatus(
      await as(carol, "POST", `/api/communities/${community.id}/members/${bob.user.id}/kick`, { reason: "spam" }),
      204,
    );
    expect(await socket.closed()).toBe(CLOSE_ACCESS_REMOVED);
    expect((await as(bob, "POST", `/api/channels/${channel.id}/socket-ticket`)).status).toBe(404);
    expect(await events(alice)).toContainEqual(expect.objectContaining({ kind: "member.kicked", userId: bob.user.id }));
    const audit = (await (await as(alice, "GET", `/api/communities/${community.id}/audit`)).json()) as {
      events: { action: string; targetUserId: string; reason: string }[];
    };
    expect(audit.events).toContainEqual(
      expect.objectContaining({ action: "member.kicked", targetUserId: bob.user.id, reason: "spam" }),
    );
  });

  it("a ticket taken before a kick or a sign-out opens no socket: the room closes it at once", async () => {
    const beforeKick = await ticketFor(bob, channel.id);
    const beforeSignOut = await ticketFor(carol, channel.id);
    await expectStatus(
      await as(alice, "POST", `/api/communities/${community.id}/members/${bob.user.id}/kick`, { reason: "spam" }),
      204,
    );
    await expectStatus(await as(carol, "POST", "/api/auth/logout"), 204);
    // alice keeps talking while they knock: nothing she says may reach a socket being refused.
    const talker = await connect(alice, channel.id);
    let isTalking = true;
    const talking = (async () => {
      while (isTalking) expect(await sends(talker, "not for the door")).toEqual({ ok: true });
    })();
    const [kicked, signedOut] = await Promise.all(
      [beforeKick, beforeSignOut].map(
        async (ticket) =>
          new TestSocket((await upgrade(`/api/channels/${channel.id}/socket?ticket=${ticket}`)).webSocket!),
      ),
    );
    expect(await kicked!.closed()).toBe(CLOSE_ACCESS_REMOVED);
    expect(await signedOut!.closed()).toBe(CLOSE_SESSION_ENDED);
    isTalking = false;
    await talking;
    expect([...kicked!.frames, ...signedOut!.frames]).toEqual([]);
  });

  it("ban: the socket closes at once and the invite no longer lets them back in", async () => {
    const socket = await connect(bob, channel.id);
    const invite = await as(alice, "POST", `/api/communities/${community.id}/invites`, {});
    const { code } = (await invite.json()) as { code: string };
    await expectStatus(await as(carol, "POST", `/api/communities/${community.id}/bans`, { userId: bob.user.id }), 204);
    expect(await socket.closed()).toBe(CLOSE_ACCESS_REMOVED);
    const rejoin = await as(bob, "POST", "/api/community-invites/accept", { code });
    expect(rejoin.status).toBe(403);
    expect(await errorCode(rejoin)).toBe("banned");
  });

  it("timeout: the socket stays open but sends are refused until the time-out is lifted", async () => {
    const socket = await connect(bob, channel.id);
    await expectStatus(
      await as(carol, "POST", `/api/communities/${community.id}/members/${bob.user.id}/timeout`, { minutes: 10 }),
      200,
    );
    const restricted = await socket.next("permissions");
    expect(restricted.permissions).toContain("VIEW_CHANNEL");
    expect(restricted.permissions).not.toContain("SEND_MESSAGES");
    const refused = await sends(socket);
    expect(refused).toMatchObject({
      ok: false,
      code: "missing_permission",
      message: expect.stringContaining("timed out"),
    });

    await expectStatus(
      await as(carol, "DELETE", `/api/communities/${community.id}/members/${bob.user.id}/timeout`),
      204,
    );
    expect((await socket.next("permissions")).permissions).toContain("SEND_MESSAGES");
    expect(await sends(socket)).toEqual({ ok: true });
  });

  it("timeout: leaving and coming back by invite does not lift it", async () => {
    await expectStatus(
      await as(carol, "POST", `/api/communities/${community.id}/members/${bob.user.id}/timeout`, { minutes: 10 }),
      200,
    );
    await expectStatus(await as(bob, "POST", `/api/communities/${community.id}/leave`), 204);
    const invite = await expectStatus(await as(alice, "POST", `/api/communities/${community.id}/invites`, {}), 201);
    const { code } = (await invite.json()) as { code: string };
    await expectStatus(await as(bob, "POST", "/api/community-invites/accept", { code }), 200);
    const socket = await connect(bob, channel.id);
    expect(await sends(socket)).toMatchObject({ ok: false, code: "missing_permission" });

    // Once lifted, leaving and coming back leaves no time-out behind.
    await expectStatus(
      await as(carol, "DELETE", `/api/communities/${community.id}/members/${bob.user.id}/timeout`),
      204,
    );
    await expectStatus(await as(bob, "POST", `/api/communities/${community.id}/leave`), 204);
    await expectStatus(await as(bob, "POST", "/api/community-invites/accept", { code }), 200);
    expect(await sends(await connect(bob, channel.id))).toEqual({ ok: true });
  });

  it("leaving the community closes one's own sockets in it", async () => {
    const socket = await connect(bob, channel.id);
    await expectStatus(await as(bob, "POST", `/api/communities/${community.id}/leave`), 204);
    expect(await socket.closed()).toBe(CLOSE_ACCESS_REMOVED);
  });
});

describe("the membership event log", () => {
  it("shows a member only the channels they can view, and the details only to those who manage roles", async () => {
    const secret = await createChannelIn(carol, community.id, { isPrivate: true });
    const forBob = await events(bob);
    expect(forBob.map((event) => event.channelId)).not.toContain(secret.id);
    expect(forBob.every((event) => event.details === null)).toBe(true);
    const forAlice = await events(alice);
    expect(forAlice).toContainEqual(
      expect.objectContaining({ kind: "channel.created", channelId: secret.id, details: { isPrivate: true } }),
    );
  });
});

describe("a permission change with sockets open", () => {
  it("hiding the channel from @everyone closes members' sockets; the owner's stays and is told", async () => {
    const bobSocket = await connect(bob, channel.id);
    const aliceSocket = await connect(alice, channel.id);
    const everyone = await everyoneRole();
    await expectStatus(
      await as(alice, "PUT", `/api/channels/${channel.id}/overrides/roles/${everyone.id}`, { deny: ["VIEW_CHANNEL"] }),
      204,
    );
    expect(await bobSocket.closed()).toBe(CLOSE_ACCESS_REMOVED);
    expect((await aliceSocket.next("permissions")).permissions).toContain("ADMINISTRATOR");
    expect(await sends(aliceSocket)).toEqual({ ok: true });
  });

  it("taking SEND_MESSAGES from @everyone is felt on the next frame, not at the next connect", async () => {
    const socket = await connect(bob, channel.id);
    const everyone = await everyoneRole();
    const remaining = everyone.permissions.filter((name) => name !== "SEND_MESSAGES");
    await expectStatus(
      await as(alice, "PATCH", `/api/communities/${community.id}/roles/${everyone.id}`, { permissions: remaining }),
      200,
    );
    await socket.next("permissions", (frame) => !frame.permissions.includes("SEND_MESSAGES"));
    expect(await sends(socket)).toMatchObject({ ok: false, code: "missing_permission" });
  });

  it("giving a role tells the member's socket what they may do now", async () => {
    const socket = await connect(bob, channel.id);
    await expectStatus(
      await as(alice, "PUT", `/api/communities/${community.id}/members/${bob.user.id}/roles/${moderator.id}`),
      204,
    );
    expect((await socket.next("permissions")).permissions).toContain("MANAGE_MESSAGES");
  });
});

describe("channel settings enforced by the room", () => {
  it("read-only: members' sends are refused, those who manage the channel may still post", async () => {
    const bobSocket = await connect(bob, channel.id);
    const carolSocket = await connect(carol, channel.id);
    await expectStatus(await as(alice, "PATCH", `/api/channels/${channel.id}`, { isReadOnly: true }), 200);
    await bobSocket.next("permissions", (frame) => !frame.permissions.includes("SEND_MESSAGES"));
    expect(await sends(bobSocket)).toMatchObject({ ok: false, message: "this channel is read-only" });
    expect(await sends(carolSocket)).toEqual({ ok: true });
  });

  it("archived: nobody sends, not even the owner, and the history stays readable", async () => {
    const aliceSocket = await connect(alice, channel.id);
    expect(await sends(aliceSocket, "before the archive")).toEqual({ ok: true });
    await expectStatus(await as(carol, "PATCH", `/api/channels/${channel.id}`, { isArchived: true }), 200);
    await aliceSocket.next("permissions", (frame) => !frame.permissions.includes("SEND_MESSAGES"));
    expect(await sends(aliceSocket)).toMatchObject({ ok: false, message: expect.stringContaining("archived") });
    const history = await as(bob, "GET", `/api/channels/${channel.id}/messages`);
    expect(((await history.json()) as { messages: unknown[] }).messages).toHaveLength(1);
  });

  it("slow mode: a second message within the interval is refused with the wait, a resend is not, moderators are exempt", async () => {
    await expectStatus(await as(alice, "PATCH", `/api/channels/${channel.id}`, { slowModeSeconds: 60 }), 200);
    const bobSocket = await connect(bob, channel.id);
    const first = clientId();
    bobSocket.send({ type: "send", clientId: first, payload: text("one") });
    const ack = await bobSocket.next("ack");
    bobSocket.send({ type: "send", clientId: clientId(), payload: text("two") });
    const refusal = await bobSocket.next("error");
    expect(refusal.code).toBe("slow_mode");
    expect(refusal.retryAfterMs).toBeGreaterThan(50_000);
    expect(refusal.retryAfterMs).toBeLessThanOrEqual(60_000);
    // A retry after a lost acknowledgement is answered, not refused.
    bobSocket.send({ type: "send", clientId: first, payload: text("one") });
    expect((await bobSocket.next("ack")).message).toEqual(ack.message);

    const carolSocket = await connect(carol, channel.id);
    expect(await sends(carolSocket, "one")).toEqual({ ok: true });
    expect(await sends(carolSocket, "two")).toEqual({ ok: true });
  });

  it("deleting the channel closes every socket in it", async () => {
    const bobSocket = await connect(bob, channel.id);
    const aliceSocket = await connect(alice, channel.id);
    await expectStatus(await as(carol, "DELETE", `/api/channels/${channel.id}`), 204);
    expect(await bobSocket.closed()).toBe(CLOSE_ACCESS_REMOVED);
    expect(await aliceSocket.closed()).toBe(CLOSE_ACCESS_REMOVED);
  });

  it("deleting the community closes every socket in its channels", async () => {
    const general = (
      (await (await as(bob, "GET", `/api/communities/${community.id}/channels`)).json()) as {
        channels: ChannelView[];
      }
    ).channels.find((known) => known.name === "general")!;
    const inGeneral = await connect(bob, general.id);
    const inChannel = await connect(carol, channel.id);
    await expectStatus(await as(alice, "DELETE", `/api/communities/${community.id}`), 204);
    expect(await inGeneral.closed()).toBe(CLOSE_ACCESS_REMOVED);
    expect(await inChannel.closed()).toBe(CLOSE_ACCESS_REMOVED);
  });
});

async function everyoneRole(): Promise<RoleView> {
  const roles = (
    (await (await as(alice, "GET", `/api/communities/${community.id}/roles`)).json()) as {
      roles: RoleView[];
    }
  ).roles;
  return roles.find((role) => role.isEveryone)!;
}

describe("a change whose push was lost", () => {
  it("is caught by the room's periodic check: a revoked session's socket and a removed member's close", async () => {
    const bobSocket = await connect(bob, channel.id);
    const carolSocket = await connect(carol, channel.id);
    const aliceSocket = await connect(alice, channel.id);
    // Straight in the database, as if the pushes had never reached the room.
    await query(env.DATABASE, "revokeSession", { userId: bob.user.id, sessionId: bob.sessionId, reason: "test" });
    expect(await query(env.DATABASE, "removeMember", { communityId: community.id, userId: carol.user.id })).toBe(
      "removed",
    );
    expect(await sends(bobSocket)).toEqual({ ok: true }); // the room has not noticed yet

    expect(await runDurableObjectAlarm(env.CHANNEL_ROOM.getByName(channel.id))).toBe(true);
    expect(await bobSocket.closed()).toBe(CLOSE_SESSION_ENDED);
    expect(await carolSocket.closed()).toBe(CLOSE_ACCESS_REMOVED);
    expect(await sends(aliceSocket)).toEqual({ ok: true });
  });
});
