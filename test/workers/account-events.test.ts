/**
 * The account socket: alice and bob share a community, mallory shares none. Each
 * sentence is checked by the frames bob's (or alice's) account socket receives.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { ChannelView, EventsServerFrame, RoleView } from "../../protocol/index.ts";
import { CLOSE_SESSION_ENDED } from "../../protocol/index.ts";
import {
  as,
  clientId,
  connect,
  createChannelIn,
  createCommunity,
  expectStatus,
  register,
  request,
  text,
  unique,
  upgrade,
  TestSocket,
  type Person,
} from "./fixtures.ts";

let alice: Person, bob: Person, mallory: Person;
let communityId: string;
let channel: ChannelView;

beforeEach(async () => {
  [alice, bob, mallory] = (await Promise.all(["alice", "bob", "mallory"].map((name) => register(unique(name))))) as [
    Person,
    Person,
    Person,
  ];
  communityId = (await createCommunity(alice, bob)).id;
  await createCommunity(mallory);
  channel = await createChannelIn(alice, communityId);
});

/** An account socket with its frames; `next` finds one by type. */
async function account(person: Person) {
  const ticket = await expectStatus(await as(person, "POST", "/api/events/socket-ticket"), 200);
  const { ticket: value } = (await ticket.json()) as { ticket: string };
  const response = await upgrade(`/api/events/socket?ticket=${value}`);
  expect(response.status).toBe(101);
  const socket = new TestSocket(response.webSocket!);
  // The same socket, typed for the account socket's frames.
  const events = socket as unknown as Omit<TestSocket, "frames" | "next"> & {
    frames: EventsServerFrame[];
    next<T extends EventsServerFrame["type"]>(
      type: T,
      predicate?: (frame: Extract<EventsServerFrame, { type: T }>) => boolean,
    ): Promise<Extract<EventsServerFrame, { type: T }>>;
  };
  await events.next("presence");
  return events;
}

const statusOf = (frame: Extract<EventsServerFrame, { type: "presence" }>, userId: string) =>
  frame.users.find((user) => user.userId === userId)?.status;

describe("presence", () => {
  it("shows people who share a community coming online, changing status, going invisible and offline", async () => {
    const bobEvents = await account(bob);
    const aliceEvents = await account(alice);
    expect(statusOf(await bobEvents.next("presence"), alice.user.id)).toBe("online");
    for (const [chosen, shown] of [
      ["dnd", "dnd"],
      ["idle", "idle"],
      ["invisible", "offline"],
      ["online", "online"],
    ] as const) {
      // One change a second at most (each one is relayed to every online member).
      await new Promise((resolve) => setTimeout(resolve, 1_050));
      aliceEvents.send({ type: "status", status: chosen });
      expect(statusOf(await bobEvents.next("presence"), alice.user.id)).toBe(shown);
    }
    aliceEvents.send({ type: "status", status: "dnd" });
    expect((await aliceEvents.next("error")).code).toBe("rate_limited");
    aliceEvents.close();
    expect(statusOf(await bobEvents.next("presence"), alice.user.id)).toBe("offline");
  });

  it("greets a new socket with who is present, and never shows people who share no community", async () => {
    const aliceEvents = await account(alice);
    await account(mallory);
    const ticket = (await (await as(bob, "POST", "/api/events/socket-ticket")).json()) as { ticket: string };
    const socket = new TestSocket((await upgrade(`/api/events/socket?ticket=${ticket.ticket}`)).webSocket!);
    const frames = socket as unknown as { next(type: string): Promise<EventsServerFrame> };
    expect(await frames.next("hello")).toEqual({ type: "hello", userId: bob.user.id, status: "online" });
    const snapshot = (await frames.next("presence")) as Extract<EventsServerFrame, { type: "presence" }>;
    expect(statusOf(snapshot, alice.user.id)).toBe("online");
    expect(statusOf(snapshot, mallory.user.id)).toBeUndefined();
    aliceEvents.close();
  });

  it("refuses a status that does not exist", async () => {
    const bobEvents = await account(bob);
    bobEvents.send({ type: "status", status: "away-forever" });
    expect((await bobEvents.next("error")).code).toBe("invalid_frame");
  });
});

describe("activity", () => {
  it("tells members about new messages in channels they may view, with the mentions", async () => {
    const bobEvents = await account(bob);
    const aliceSocket = await connect(alice, channel.id);
    aliceSocket.send({
      type: "send",
      clientId: clientId(),
      payload: text("bob, look"),
      mentions: { userIds: [bob.user.id] },
    });
    const activity = await bobEvents.next("activity");
    expect(activity).toMatchObject({ channelId: channel.id, communityId, lastSeq: 1, senderIds: [alice.user.id] });
    expect(activity.mentions.userIds).toEqual([bob.user.id]);
  });

  it("says nothing about a private channel the member cannot view", async () => {
    const bobEvents = await account(bob);
    const secret = await createChannelIn(alice, communityId, { isPrivate: true });
    const secretSocket = await connect(alice, secret.id);
    secretSocket.send({ type: "send", clientId: clientId(), payload: text("secret") });
    await secretSocket.next("ack");
    const publicSocket = await connect(alice, channel.id);
    publicSocket.send({ type: "send", clientId: clientId(), payload: text("public") });
    await bobEvents.next("activity", (frame) => frame.channelId === channel.id);
    // Neither alone nor gathered with other channels' activity.
    expect(JSON.stringify(bobEvents.frames)).not.toContain(secret.id);
  });

  it("stops telling a member of a channel hidden from them after they were told of it", async () => {
    const bobEvents = await account(bob);
    const aliceSocket = await connect(alice, channel.id);
    aliceSocket.send({ type: "send", clientId: clientId(), payload: text("seen") });
    // Bob's object has now loaded every channel he may view, this one among them.
    await bobEvents.next("activity", (frame) => frame.channelId === channel.id && frame.lastSeq === 1);
    const roles = (await (await as(alice, "GET", `/api/communities/${communityId}/roles`)).json()) as {
      roles: RoleView[];
    };
    const everyone = roles.roles.find((role) => role.isEveryone)!;
    await expectStatus(
      await as(alice, "PUT", `/api/channels/${channel.id}/overrides/roles/${everyone.id}`, {
        deny: ["VIEW_CHANNEL"],
      }),
      204,
    );
    await bobEvents.next("changed", (frame) => frame.scope === "channels");
    const other = await createChannelIn(alice, communityId);
    const otherSocket = await connect(alice, other.id);
    aliceSocket.send({ type: "send", clientId: clientId(), payload: text("hidden now") });
    await aliceSocket.next("ack", (frame) => frame.message.seq === 2);
    otherSocket.send({ type: "send", clientId: clientId(), payload: text("still public") });
    // The public channel's activity comes; the hidden one's, sent first, never does.
    await bobEvents.next("activity", (frame) => frame.channelId === other.id);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const told = JSON.stringify(bobEvents.frames);
    expect(told).not.toContain(`"lastSeq":2`);
  });

  it("gathers several channels' activity into one frame, leaving out a channel the member cannot view", async () => {
    const bobEvents = await account(bob);
    const other = await createChannelIn(alice, communityId);
    const secret = await createChannelIn(alice, communityId, { isPrivate: true });
    const sockets = await Promise.all([channel.id, other.id, secret.id].map((id) => connect(alice, id)));
    /** The activity items bob was told of, whichever frame carried them. */
    const items = () =>
      bobEvents.frames.flatMap((frame) =>
        frame.type === "activity" ? [frame] : frame.type === "activities" ? frame.activities : [],
      );
    // Sent together, their rooms' activity reaches the community's hub within its gathering
    // moment; a machine slow enough to part them gets another round (at most three).
    let gathered: Extract<EventsServerFrame, { type: "activities" }> | undefined;
    for (let round = 1; round <= 3 && !gathered; round++) {
      for (const socket of sockets) socket.send({ type: "send", clientId: clientId(), payload: text("together") });
      await Promise.all(sockets.map((socket) => socket.next("ack")));
      const told = () => items().filter((item) => item.lastSeq === round).length;
      for (const deadline = Date.now() + 5_000; told() < 2 && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(told()).toBe(2);
      gathered = bobEvents.frames.find(
        (frame): frame is Extract<EventsServerFrame, { type: "activities" }> =>
          frame.type === "activities" && frame.activities.every((item) => item.lastSeq === round),
      );
    }
    expect(gathered?.activities.map((activity) => activity.channelId).sort()).toEqual([channel.id, other.id].sort());
    for (const activity of gathered!.activities) {
      expect(activity).toMatchObject({ type: "activity", communityId, senderIds: [alice.user.id] });
    }
    expect(JSON.stringify(bobEvents.frames)).not.toContain(secret.id);
  });

  it("relays a read on one device to the person's account sockets", async () => {
    const bobEvents = await account(bob);
    const aliceSocket = await connect(alice, channel.id);
    aliceSocket.send({ type: "send", clientId: clientId(), payload: text("hi") });
    await aliceSocket.next("ack");
    const bobSocket = await connect(bob, channel.id);
    bobSocket.send({ type: "read", seq: 1 });
    expect(await bobEvents.next("read")).toEqual({ type: "read", channelId: channel.id, seq: 1 });
  });
});

describe("changed lists", () => {
  it("announce a new DM to its participants and a kick to the kicked member", async () => {
    const bobEvents = await account(bob);
    await expectStatus(await as(alice, "POST", "/api/dms", { userIds: [bob.user.id] }), 201);
    expect(await bobEvents.next("changed", (frame) => frame.scope === "dms")).toEqual({
      type: "changed",
      scope: "dms",
    });
    await expectStatus(await as(alice, "POST", `/api/communities/${communityId}/members/${bob.user.id}/kick`, {}), 204);
    await bobEvents.next("changed", (frame) => frame.scope === "communities");
  });

  it("announce a member joining to the community's online members, and a new community to its creator", async () => {
    const aliceEvents = await account(alice);
    const invite = await as(alice, "POST", `/api/communities/${communityId}/invites`, {});
    const { code } = (await invite.json()) as { code: string };
    await expectStatus(await as(mallory, "POST", "/api/community-invites/accept", { code }), 200);
    expect(await aliceEvents.next("changed", (frame) => frame.scope === "members")).toMatchObject({ communityId });
    // Her devices are for the members' open clients to add to the channels' groups.
    expect(await aliceEvents.next("changed", (frame) => frame.scope === "e2ee")).toEqual({
      type: "changed",
      scope: "e2ee",
      communityId,
    });
    await expectStatus(await as(alice, "POST", "/api/communities", { name: unique("Second") }), 201);
    await aliceEvents.next("changed", (frame) => frame.scope === "communities");
  });

  it("announce a new channel to the community's online members", async () => {
    const bobEvents = await account(bob);
    await createChannelIn(alice, communityId);
    expect(await bobEvents.next("changed", (frame) => frame.scope === "channels")).toMatchObject({ communityId });
  });
});

describe("the account socket", () => {
  it("closes with 4001 when its session is signed out", async () => {
    const bobEvents = await account(bob);
    await expectStatus(
      await request("/api/auth/logout", { method: "POST", headers: { Authorization: `Bearer ${bob.token}` } }),
      204,
    );
    expect(await bobEvents.closed()).toBe(CLOSE_SESSION_ENDED);
  });

  it("refuses an upgrade without a ticket, or with a channel's ticket", async () => {
    expect((await upgrade("/api/events/socket")).status).toBe(401);
    const channelTicket = (await (await as(bob, "POST", `/api/channels/${channel.id}/socket-ticket`)).json()) as {
      ticket: string;
    };
    expect((await upgrade(`/api/events/socket?ticket=${channelTicket.ticket}`)).status).toBe(401);
  });
});
