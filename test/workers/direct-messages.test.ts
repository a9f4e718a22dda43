/**
 * Direct messages: alice and bob share a community, carol is in it too, mallory
 * shares none. A DM is get-or-create, needs a shared community, and a block either
 * way refuses new ones and silences an existing one at once.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { ChannelView } from "../../protocol/index.ts";
import { CLOSE_ACCESS_REMOVED } from "../../protocol/index.ts";
import {
  as,
  clientId,
  connect,
  createCommunity,
  errorCode,
  expectStatus,
  register,
  text,
  unique,
  type Person,
} from "./fixtures.ts";

let alice: Person, bob: Person, carol: Person, mallory: Person;

beforeAll(async () => {
  [alice, bob, carol, mallory] = (await Promise.all(
    ["alice", "bob", "carol", "mallory"].map((name) => register(unique(name))),
  )) as [Person, Person, Person, Person];
  await createCommunity(alice, bob, carol);
});

async function openDm(person: Person, ...others: Person[]) {
  return as(person, "POST", "/api/dms", { userIds: others.map((other) => other.user.id) });
}
const channelOf = async (response: Response) => (await response.json()) as { channel: ChannelView; isNew: boolean };

describe("a 1:1 DM", () => {
  it("is created once and found again by either side", async () => {
    const created = await expectStatus(await openDm(bob, carol), 201);
    const { channel, isNew } = await channelOf(created);
    expect(isNew).toBe(true);
    expect(channel).toMatchObject({ kind: "dm", communityId: null });
    expect(channel.participants?.map((participant) => participant.userId).sort()).toEqual(
      [bob.user.id, carol.user.id].sort(),
    );
    const again = await channelOf(await expectStatus(await openDm(carol, bob), 200));
    expect(again).toMatchObject({ isNew: false, channel: { id: channel.id } });
    const listed = (await (await as(carol, "GET", "/api/dms")).json()) as { channels: ChannelView[] };
    expect(listed.channels.map((dm) => dm.id)).toContain(channel.id);
  });

  it("carries messages between the two and nobody else can read or join it", async () => {
    const { channel } = await channelOf(await openDm(alice, bob));
    const aliceSocket = await connect(alice, channel.id);
    const bobSocket = await connect(bob, channel.id);
    aliceSocket.send({ type: "send", clientId: clientId(), payload: text("just us") });
    await aliceSocket.next("ack");
    expect((await bobSocket.next("message")).message.payload).toBe(text("just us"));
    for (const path of ["", "/messages"]) {
      expect((await as(carol, "GET", `/api/channels/${channel.id}${path}`)).status).toBe(404);
    }
    expect((await as(carol, "POST", `/api/channels/${channel.id}/socket-ticket`)).status).toBe(404);
    // DMs have no channel settings.
    expect((await as(alice, "PATCH", `/api/channels/${channel.id}`, { topic: "x" })).status).toBe(400);
  });

  it("needs a shared community, and cannot be opened with oneself or a stranger id", async () => {
    const stranger = await openDm(mallory, alice);
    expect(stranger.status).toBe(403);
    expect(await errorCode(stranger)).toBe("no_shared_community");
    expect((await openDm(alice, alice)).status).toBe(400);
    expect((await as(alice, "POST", "/api/dms", { userIds: [crypto.randomUUID()] })).status).toBe(404);
    expect((await as(alice, "POST", "/api/dms", { userIds: [] })).status).toBe(400);
  });

  it("is refused when either side blocked the other, and an open one turns read-only at once", async () => {
    const [dora, emil] = await Promise.all([register(unique("dora")), register(unique("emil"))]);
    await createCommunity(dora, emil);
    const { channel } = await channelOf(await expectStatus(await openDm(dora, emil), 201));
    const doraSocket = await connect(dora, channel.id);

    await expectStatus(await as(emil, "PUT", `/api/blocks/${dora.user.id}`), 204);
    const blocked = await doraSocket.next("permissions");
    expect(blocked.permissions).toEqual(["VIEW_CHANNEL"]);
    doraSocket.send({ type: "send", clientId: clientId(), payload: text("hello?") });
    expect((await doraSocket.next("error")).code).toBe("missing_permission");
    for (const [from, to] of [
      [dora, emil],
      [emil, dora],
    ] as const) {
      const refused = await openDm(from, to);
      expect(refused.status).toBe(403);
      expect(await errorCode(refused)).toBe("blocked");
    }

    await expectStatus(await as(emil, "DELETE", `/api/blocks/${dora.user.id}`), 204);
    expect((await doraSocket.next("permissions")).permissions).toContain("SEND_MESSAGES");
    doraSocket.send({ type: "send", clientId: clientId(), payload: text("hello again") });
    await doraSocket.next("ack");
  });
});

describe("a group DM", () => {
  it("holds its creator and the people named, up to ten, and a member can leave it", async () => {
    const created = await expectStatus(await openDm(alice, bob, carol), 201);
    const { channel } = await channelOf(created);
    expect(channel.kind).toBe("group_dm");
    expect(channel.participants).toHaveLength(3);
    expect((await as(mallory, "GET", `/api/channels/${channel.id}`)).status).toBe(404);

    const carolSocket = await connect(carol, channel.id);
    await expectStatus(await as(carol, "POST", `/api/dms/${channel.id}/leave`), 204);
    expect(await carolSocket.closed()).toBe(CLOSE_ACCESS_REMOVED);
    expect((await as(carol, "GET", `/api/channels/${channel.id}/messages`)).status).toBe(404);
    expect((await as(alice, "GET", `/api/channels/${channel.id}`)).status).toBe(200);

    const tooMany = Array.from({ length: 10 }, () => crypto.randomUUID());
    expect((await as(alice, "POST", "/api/dms", { userIds: tooMany })).status).toBe(400);
  });

  it("needs every person named to be reachable", async () => {
    const refused = await openDm(alice, bob, mallory);
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe("no_shared_community");
  });

  it("cannot be confused with a 1:1 DM, which cannot be left", async () => {
    const { channel } = await channelOf(await openDm(alice, carol));
    const response = await as(alice, "POST", `/api/dms/${channel.id}/leave`);
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("cannot_leave_dm");
  });
});
