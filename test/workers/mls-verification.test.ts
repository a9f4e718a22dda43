/**
 * What the MLS delivery service refuses, so that no one can break a channel's group
 * by posting what its members cannot process: alice starts #general's group and bob
 * joins it; each refusal is a 400 with its code that changes nothing, and the honest
 * commit after it still goes through. Also the commit limits, and which handshake
 * frames carry their commit.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { bytesToBase64, type ChannelView, type MlsCommitView, type MlsGroupView } from "../../protocol/index.ts";
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
import type { MlsMessage, MlsPublicMessage } from "ts-mls";
import {
  ChannelGroup,
  encodeMessage,
  groupInfoOf,
  mlsContext,
  newGroup,
  registerDevice,
  rotation,
  tamperedLastByte,
  type BuiltCommit,
  type MlsDevice,
} from "./mls-fixtures.ts";

let alice: MlsDevice, bob: MlsDevice, carol: MlsDevice;
let general: ChannelView;
let group: ChannelGroup;

beforeEach(async () => {
  const people = await Promise.all(["alice", "bob", "carol"].map((name) => register(unique(name))));
  const community = await createCommunity(people[0]!, people[1]!, people[2]!);
  general = await createChannelIn(people[0]!, community.id);
  [alice, bob, carol] = (await Promise.all(people.map(registerDevice))) as [MlsDevice, MlsDevice, MlsDevice];
  group = new ChannelGroup(general.id);
});

const randomBytes = (count: number) => bytesToBase64(crypto.getRandomValues(new Uint8Array(count)));

async function expectRefused(response: Response, code: string, message: RegExp): Promise<void> {
  expect(response.status).toBe(400);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(message);
}

const stateOf = async (device: MlsDevice) =>
  (await (await expectStatus(await as(device.person, "GET", `/api/channels/${general.id}/mls`), 200)).json()) as {
    group: MlsGroupView | null;
    commits: MlsCommitView[];
  };

/** The commit with one bit of its signature flipped. */
function withBadSignature(built: BuiltCommit): BuiltCommit {
  const message = built.commit as MlsPublicMessage;
  const signature = message.publicMessage.auth.signature.slice();
  signature[0]! ^= 1;
  const publicMessage = { ...message.publicMessage, auth: { ...message.publicMessage.auth, signature } };
  return { ...built, commit: { ...message, publicMessage } as MlsMessage };
}

describe("a commit", () => {
  it("is refused unless it is an MLS commit of this group's epoch from the committing device's leaf, signed by its key", async () => {
    await expectStatus(await group.start(alice), 201);
    await expectStatus(await group.join(bob), 201);
    const before = await stateOf(alice);
    const honest = await rotation(alice.state!);
    const post = (device: MlsDevice, built: BuiltCommit, extra: { commit?: string; groupInfo: string }) =>
      as(device.person, "POST", `/api/channels/${general.id}/mls/commits`, {
        epoch: 1,
        commit: encodeMessage(built.commit),
        memberDeviceIds: [alice.person.sessionId, bob.person.sessionId],
        ...extra,
      });
    const nextGroupInfo = await groupInfoOf(honest.newState);

    await expectRefused(
      await post(alice, honest, { commit: randomBytes(200), groupInfo: nextGroupInfo }),
      "invalid_commit",
      /not a commit/,
    );
    const elsewhere = await rotation(await newGroup(alice, crypto.randomUUID()));
    await expectRefused(await post(alice, elsewhere, { groupInfo: nextGroupInfo }), "invalid_commit", /another group/);
    const ahead = await rotation(honest.newState);
    await expectRefused(
      await post(alice, ahead, { groupInfo: nextGroupInfo }),
      "invalid_commit",
      /built on epoch 2, not 1/,
    );
    // Bob posts the commit alice's leaf sent: its sender is not his device.
    await expectRefused(
      await post(bob, honest, { groupInfo: nextGroupInfo }),
      "invalid_commit",
      /sender leaf is not this device/,
    );
    await expectRefused(
      await post(alice, withBadSignature(honest), { groupInfo: nextGroupInfo }),
      "invalid_commit",
      /signature does not verify/,
    );

    await expectRefused(
      await post(alice, honest, { groupInfo: before.group!.groupInfo }),
      "invalid_group_info",
      /epoch 1, not 2/,
    );
    const elsewhereInfo = await groupInfoOf(elsewhere.newState);
    await expectRefused(await post(alice, honest, { groupInfo: elsewhereInfo }), "invalid_group_info", /another group/);
    await expectRefused(
      await post(alice, honest, { groupInfo: tamperedLastByte(nextGroupInfo) }),
      "invalid_group_info",
      /signature does not verify/,
    );
    await expectRefused(
      await post(alice, honest, { groupInfo: randomBytes(300) }),
      "invalid_group_info",
      /not a GroupInfo/,
    );

    // Nothing refused moved the group or reached its log; the honest commit still goes through.
    expect(await stateOf(alice)).toEqual(before);
    await expectStatus(await group.post(alice, honest), 201);
    expect((await stateOf(bob)).group).toMatchObject({ epoch: 2, groupInfo: nextGroupInfo });
  });

  it("is refused from a joining device whose External Commit names another device", async () => {
    await expectStatus(await group.start(alice), 201);
    const bobsJoin = await group.externalCommit(bob);
    // Carol posts bob's External Commit as hers.
    const stolen = await group.post(carol, bobsJoin);
    await expectRefused(stolen, "invalid_commit", /sender leaf is not this device/);
    expect((await stateOf(alice)).group?.epoch).toBe(0);
    // Bob's own is refused too: he has no device in the group, so a member adds him instead
    // (the members' devices would refuse such a join and be stuck; the delivery service stops it first).
    await expectRefused(await group.post(bob, bobsJoin), "invalid_commit", /only when its person already has a device/);
    expect((await stateOf(alice)).group?.epoch).toBe(0);
    await expectStatus(await group.join(bob), 201);
  });
});

describe("a new group", () => {
  it("starts only from a GroupInfo of epoch 0 of the channel's group, the creating device alone, signed by its registered key", async () => {
    const start = (device: MlsDevice, groupInfo: string, memberDeviceIds = [device.person.sessionId]) =>
      as(device.person, "POST", `/api/channels/${general.id}/mls`, { groupInfo, memberDeviceIds });
    const own = await newGroup(alice, general.id);

    await expectRefused(await start(alice, randomBytes(300)), "invalid_group_info", /not a GroupInfo/);
    const elsewhere = await groupInfoOf(await newGroup(alice, crypto.randomUUID()));
    await expectRefused(await start(alice, elsewhere), "invalid_group_info", /another group/);
    const later = await groupInfoOf((await rotation(own)).newState);
    await expectRefused(await start(alice, later), "invalid_group_info", /epoch 1, not 0/);
    // A key alice's device never registered.
    const unlisted = { ...alice, signatureKeyPair: await (await mlsContext()).cipherSuite.signature.keygen() };
    const unlistedInfo = await groupInfoOf(await newGroup(unlisted, general.id));
    await expectRefused(await start(alice, unlistedInfo), "invalid_group_info", /another key/);
    const ownInfo = await groupInfoOf(own);
    await expectRefused(await start(bob, ownInfo), "invalid_group_info", /not this device/);
    await expectRefused(
      await start(alice, ownInfo, [alice.person.sessionId, bob.person.sessionId]),
      "invalid_group_info",
      /creating device alone/,
    );

    expect((await stateOf(alice)).group).toBeNull();
    await expectStatus(await start(alice, ownInfo), 201);
  });
});

describe("commit limits", () => {
  it("refuse a person's 61st commit attempt in a minute", async () => {
    await expectStatus(await group.start(alice), 201);
    await expectStatus(await group.join(bob), 201);
    const attempt = () =>
      as(alice.person, "POST", `/api/channels/${general.id}/mls/commits`, {
        epoch: 1,
        commit: randomBytes(100),
        groupInfo: randomBytes(100),
        memberDeviceIds: [alice.person.sessionId],
      });
    // Adding bob was alice's first commit this minute: 59 more attempts are counted, then refused.
    const statuses: number[] = [];
    for (let round = 0; round < 6; round++) {
      const batch = await Promise.all(Array.from({ length: round === 5 ? 9 : 10 }, attempt));
      statuses.push(...batch.map((response) => response.status));
    }
    expect(statuses).toEqual(Array(59).fill(400));
    const refused = await attempt();
    expect(refused.status).toBe(429);
    expect(await errorCode(refused)).toBe("rate_limited");
    // Others still commit.
    await expectStatus(await group.rotate(bob), 201);
  });

  it("refuse a channel's 101st commit in five minutes, whoever sends it", async () => {
    await expectStatus(await group.start(alice), 201);
    await expectStatus(await group.join(bob), 201);
    for (let index = 1; index < 100; index++) {
      await expectStatus(await group.rotate(index % 2 === 0 ? alice : bob), 201);
    }
    const refused = await group.join(carol);
    expect(refused.status).toBe(429);
    expect(await errorCode(refused)).toBe("too_many_commits");
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(200);
    expect((await stateOf(alice)).group?.epoch).toBe(100);
  }, 60_000);
});

describe("a handshake frame", () => {
  it("carries a small commit, and goes without a large one, which the log holds", async () => {
    await expectStatus(await group.start(alice), 201);
    const socket = await connect(carol.person, general.id);
    const small = await rotation(alice.state!);
    await expectStatus(await group.post(alice, small), 201);
    expect(await socket.next("handshake")).toEqual({
      type: "handshake",
      epoch: 0,
      commit: encodeMessage(small.commit),
      committerDeviceId: alice.person.sessionId,
    });
    // 20 KiB of authenticated data: a commit past the 16 KiB a frame carries.
    const large = await rotation(alice.state!, { authenticatedData: new Uint8Array(20 * 1024) });
    await expectStatus(await group.post(alice, large), 201);
    expect(await socket.next("handshake")).toEqual({
      type: "handshake",
      epoch: 1,
      committerDeviceId: alice.person.sessionId,
    });
    const fetched = await stateOf(carol);
    expect(fetched.commits.find((entry) => entry.epoch === 1)?.commit).toBe(encodeMessage(large.commit));
  });
});
