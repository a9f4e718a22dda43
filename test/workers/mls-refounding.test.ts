/**
 * Founding a channel's group again: a member's device that cannot process the log starts
 * a new generation (epoch 0, that device alone) in place of the group. alice and bob are
 * in #general's group, carol may view the channel but is not in it. Each refusal changes
 * nothing; a re-founding empties the log and the queued Welcomes, tells the sockets, and
 * waits ten minutes before the next.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  bytesToBase64,
  type ChannelView,
  type MlsCommitView,
  type MlsGroupView,
  type MlsWelcomeView,
} from "../../protocol/index.ts";
import {
  as,
  connect,
  createChannelIn,
  createCommunity,
  errorCode,
  expectStatus,
  register,
  unique,
} from "./fixtures.ts";
import { ChannelGroup, groupInfoOf, newGroup, registerDevice, type MlsDevice } from "./mls-fixtures.ts";

let alice: MlsDevice, bob: MlsDevice, carol: MlsDevice;
let general: ChannelView;
let group: ChannelGroup;

beforeEach(async () => {
  const people = await Promise.all(["alice", "bob", "carol"].map((name) => register(unique(name))));
  const community = await createCommunity(people[0]!, people[1]!, people[2]!);
  general = await createChannelIn(people[0]!, community.id);
  [alice, bob, carol] = (await Promise.all(people.map(registerDevice))) as [MlsDevice, MlsDevice, MlsDevice];
  group = new ChannelGroup(general.id);
  await expectStatus(await group.start(alice), 201);
  await expectStatus(await group.join(bob), 201);
  // (The fixture's add lists the members before it: this commit lists both.)
  await expectStatus(
    await group.rotate(alice, { memberDeviceIds: [alice.person.sessionId, bob.person.sessionId] }),
    201,
  );
});

const stateOf = async (device: MlsDevice) =>
  (await (await expectStatus(await as(device.person, "GET", `/api/channels/${general.id}/mls`), 200)).json()) as {
    group: MlsGroupView;
    commits: MlsCommitView[];
  };

const welcomesOf = async (device: MlsDevice) =>
  ((await (await as(device.person, "GET", "/api/keys/welcomes")).json()) as { welcomes: MlsWelcomeView[] }).welcomes;

/** `device` founds #general's group again from `fromEpoch`, with a new group of its own (or `groupInfo`). */
async function refound(device: MlsDevice, fromEpoch: number, groupInfo?: string): Promise<Response> {
  return as(device.person, "POST", `/api/channels/${general.id}/mls/refound`, {
    fromEpoch,
    groupInfo: groupInfo ?? (await groupInfoOf(await newGroup(device, general.id))),
    memberDeviceIds: [device.person.sessionId],
  });
}

describe("founding a group again", () => {
  it("is refused to a device outside the group, from an epoch the group left, or with a GroupInfo that is not a new group", async () => {
    const before = await stateOf(alice);
    const outsider = await refound(carol, 2);
    expect(outsider.status).toBe(403);
    expect(await errorCode(outsider)).toBe("not_a_member");

    const stale = await refound(bob, 1);
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: { code: "stale_epoch" }, epoch: 2 });

    // The group's current GroupInfo (epoch 2, two members), another group's, and bob's new group posted by alice.
    for (const groupInfo of [
      before.group.groupInfo,
      await groupInfoOf(await newGroup(bob, crypto.randomUUID())),
      await groupInfoOf(await newGroup(bob, general.id)),
    ]) {
      const refused = await refound(alice, 2, groupInfo);
      expect(refused.status).toBe(400);
      expect(await errorCode(refused)).toBe("invalid_group_info");
    }
    const twoMembers = await as(bob.person, "POST", `/api/channels/${general.id}/mls/refound`, {
      fromEpoch: 2,
      groupInfo: await groupInfoOf(await newGroup(bob, general.id)),
      memberDeviceIds: [bob.person.sessionId, alice.person.sessionId],
    });
    expect(twoMembers.status).toBe(400);
    expect(await errorCode(twoMembers)).toBe("invalid_group_info");

    expect(await stateOf(alice)).toEqual(before);
    expect(before.group.generation).toBe(0);
  });

  it("starts a new generation at epoch 0 with the founder alone: the log and queued Welcomes go, the sockets are told", async () => {
    // A Welcome for carol waits (an add of hers, not yet taken).
    await expectStatus(
      await group.rotate(alice, {
        memberDeviceIds: [alice.person.sessionId, bob.person.sessionId, carol.person.sessionId],
        welcome: bytesToBase64(new TextEncoder().encode("a welcome for carol")),
        welcomeDeviceIds: [carol.person.sessionId],
      }),
      201,
    );
    expect(await welcomesOf(carol)).toHaveLength(1);
    const socket = await connect(carol.person, general.id);
    const bobsGroup = await newGroup(bob, general.id);
    const fresh = await groupInfoOf(bobsGroup);

    const founded = await expectStatus(await refound(bob, 3, fresh), 201);
    expect(((await founded.json()) as { group: MlsGroupView }).group).toMatchObject({
      epoch: 0,
      generation: 1,
      groupInfo: fresh,
      memberDeviceIds: [bob.person.sessionId],
    });
    expect(await socket.next("handshake")).toEqual({
      type: "handshake",
      epoch: 0,
      committerDeviceId: bob.person.sessionId,
    });
    const after = await stateOf(alice);
    expect(after.group).toMatchObject({ epoch: 0, generation: 1, memberDeviceIds: [bob.person.sessionId] });
    expect(after.commits).toEqual([]);
    expect(await welcomesOf(carol)).toEqual([]);

    // The new group goes on from epoch 0: the room takes a commit built on it.
    bob.state = bobsGroup;
    const restarted = new ChannelGroup(general.id);
    restarted.members.push(bob);
    await expectStatus(await restarted.rotate(bob), 201);
    expect((await stateOf(alice)).group).toMatchObject({ epoch: 1, generation: 1 });
    socket.close();
  });

  it("happens once per channel in ten minutes", async () => {
    await expectStatus(await refound(bob, 2), 201);
    const again = await refound(bob, 0);
    expect(again.status).toBe(429);
    expect(await errorCode(again)).toBe("too_many_refoundings");
    expect(Number(again.headers.get("Retry-After"))).toBeGreaterThan(500);
    expect((await stateOf(bob)).group).toMatchObject({ epoch: 0, generation: 1 });
  });
});
