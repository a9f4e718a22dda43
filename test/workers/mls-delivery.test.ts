/**
 * The MLS delivery service through HTTP and the channel socket, with real MLS groups
 * built by ts-mls (test/workers/mls-fixtures.ts): alice owns the community, bob and
 * carol are members with registered devices, mallory is an outsider. The room accepts
 * one commit per epoch; the loser learns the current epoch and retries. What the
 * server refuses of a commit or GroupInfo: test/workers/mls-verification.test.ts.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  bytesToBase64,
  type ChannelView,
  type MlsCommitView,
  type MlsGroupView,
  type MlsPendingView,
  type MlsWelcomeView,
} from "../../protocol/index.ts";
import {
  as,
  clientId,
  connect,
  createChannelIn,
  createCommunity,
  errorCode,
  expectStatus,
  PASSWORD,
  register,
  unique,
  type Person,
} from "./fixtures.ts";
import {
  ChannelGroup,
  encodeMessage,
  groupInfoOf,
  newGroup,
  registerDevice,
  rotation,
  type MlsDevice,
} from "./mls-fixtures.ts";

/** Welcomes are sealed to the devices they add: the server stores them as they come. */
const opaque = (label: string) => bytesToBase64(new TextEncoder().encode(`${label}`.padEnd(48, "~")));

let alice: Person, bob: Person, carol: Person, mallory: Person;
let devices: Record<"alice" | "bob" | "carol" | "mallory", MlsDevice>;
let channel: ChannelView;
let group: ChannelGroup;

beforeEach(async () => {
  [alice, bob, carol, mallory] = (await Promise.all(
    ["alice", "bob", "carol", "mallory"].map((name) => register(unique(name))),
  )) as [Person, Person, Person, Person];
  const community = await createCommunity(alice, bob, carol);
  channel = await createChannelIn(alice, community.id);
  const [forAlice, forBob, forCarol, forMallory] = await Promise.all([alice, bob, carol, mallory].map(registerDevice));
  devices = { alice: forAlice!, bob: forBob!, carol: forCarol!, mallory: forMallory! };
  group = new ChannelGroup(channel.id);
});

const startGroup = () => group.start(devices.alice);

const log = async (person: Person, fromEpoch = 0) =>
  (await (
    await expectStatus(await as(person, "GET", `/api/channels/${channel.id}/mls?fromEpoch=${fromEpoch}`), 200)
  ).json()) as {
    group: MlsGroupView | null;
    commits: MlsCommitView[];
  };

describe("a channel's MLS group", () => {
  it("is started once: the first device wins, the next is shown the group", async () => {
    expect((await log(bob)).group).toBeNull();
    await expectStatus(await startGroup(), 201);
    const started = (await log(bob)).group!.groupInfo;
    const second = await group.start(devices.bob);
    expect(second.status).toBe(409);
    const body = (await second.json()) as { error: { code: string }; group: MlsGroupView };
    expect(body.error.code).toBe("group_exists");
    expect(body.group).toMatchObject({ epoch: 0, groupInfo: started, memberDeviceIds: [alice.sessionId] });
  });

  it("accepts one commit per epoch: of two at once, one wins and the other retries on the new epoch", async () => {
    await expectStatus(await startGroup(), 201);
    // Bob joins by External Commit (epoch 0 to 1); then both commit on epoch 1 at once.
    await expectStatus(await group.join(devices.bob), 201);
    const carolSocket = await connect(carol, channel.id);
    const [byAlice, byBob] = await Promise.all([rotation(devices.alice.state!), rotation(devices.bob.state!)]);
    const [fromAlice, fromBob] = await Promise.all([
      group.post(devices.alice, byAlice),
      group.post(devices.bob, byBob),
    ]);
    expect([fromAlice.status, fromBob.status].sort()).toEqual([201, 409]);
    const [winner, loser, lost, won] =
      fromAlice.status === 201
        ? [devices.alice, devices.bob, fromBob, byAlice]
        : [devices.bob, devices.alice, fromAlice, byBob];
    expect(await lost.json()).toMatchObject({ error: { code: "stale_epoch" }, epoch: 2 });
    // The loser processed the winner's commit (from the log), and commits again on epoch 2.
    expect((await log(loser.person, 1)).commits.map((entry) => entry.committerDeviceId)).toEqual([
      winner.person.sessionId,
    ]);
    const retry = await rotation(loser.state!);
    const retried = await expectStatus(await group.post(loser, retry), 201);
    expect(await retried.json()).toEqual({ epoch: 3 });

    const first = await carolSocket.next("handshake");
    const second = await carolSocket.next("handshake");
    expect([first, second]).toEqual([
      { type: "handshake", epoch: 1, commit: encodeMessage(won.commit), committerDeviceId: winner.person.sessionId },
      { type: "handshake", epoch: 2, commit: encodeMessage(retry.commit), committerDeviceId: loser.person.sessionId },
    ]);
    const history = await log(carol, 2);
    expect(history.group).toMatchObject({ epoch: 3, groupInfo: await groupInfoOf(retry.newState) });
    expect(history.commits.map((entry) => entry.epoch)).toEqual([2]);
    expect((await log(carol, 0)).commits.map((entry) => entry.epoch)).toEqual([0, 1, 2]);
  });

  it("stores a commit's Welcome once for the devices it adds; each takes and removes its own", async () => {
    await expectStatus(await startGroup(), 201);
    const welcomes = async (person: Person) =>
      ((await (await as(person, "GET", "/api/keys/welcomes")).json()) as { welcomes: MlsWelcomeView[] }).welcomes;
    await expectStatus(
      await group.rotate(devices.alice, {
        memberDeviceIds: [alice.sessionId, bob.sessionId, carol.sessionId],
        welcome: opaque("welcome-epoch-1"),
        // Not a device, or the device of someone who may not view the channel: left out.
        welcomeDeviceIds: [bob.sessionId, carol.sessionId, crypto.randomUUID(), mallory.sessionId],
      }),
      201,
    );
    const [forBob, forCarol] = [await welcomes(bob), await welcomes(carol)];
    expect([...forBob, ...forCarol]).toEqual([
      { id: expect.any(Number), channelId: channel.id, epoch: 1, generation: 0, welcome: opaque("welcome-epoch-1") },
      { id: expect.any(Number), channelId: channel.id, epoch: 1, generation: 0, welcome: opaque("welcome-epoch-1") },
    ]);
    expect(await welcomes(alice)).toEqual([]);
    expect(await welcomes(mallory)).toEqual([]);
    expect((await as(alice, "DELETE", `/api/keys/welcomes/${forCarol[0]!.id}`)).status).toBe(404);
    await expectStatus(await as(carol, "DELETE", `/api/keys/welcomes/${forCarol[0]!.id}`), 204);
    expect(await welcomes(carol)).toEqual([]);
    // Bob's entry still holds the Welcome carol no longer waits for.
    expect(await welcomes(bob)).toEqual(forBob);
    await expectStatus(await as(bob, "DELETE", `/api/keys/welcomes/${forBob[0]!.id}`), 204);
    expect(await welcomes(bob)).toEqual([]);
    // A Welcome needs the devices it adds, and the other way round.
    expect((await group.rotate(devices.alice, { welcome: opaque("alone") })).status).toBe(400);
  });

  it("is hidden from outsiders and closed to devices without a registered key", async () => {
    await expectStatus(await startGroup(), 201);
    expect((await as(mallory, "GET", `/api/channels/${channel.id}/mls`)).status).toBe(404);
    const fromOutside = await rotation(await newGroup(devices.mallory, channel.id));
    expect((await group.post(devices.mallory, fromOutside)).status).toBe(404);
    const dave = await register(unique("dave"));
    const community = await createCommunity(dave);
    const davesChannel = await createChannelIn(dave, community.id);
    const unregistered = await as(dave, "POST", `/api/channels/${davesChannel.id}/mls`, {
      groupInfo: opaque("x"),
      memberDeviceIds: [dave.sessionId],
    });
    expect(unregistered.status).toBe(409);
    expect(await errorCode(unregistered)).toBe("device_not_registered");
  });

  it("lists as pending exactly the devices of those who may view the channel, by its overrides", async () => {
    const pending = async () =>
      (await (
        await expectStatus(await as(alice, "GET", `/api/channels/${channel.id}/mls/pending`), 200)
      ).json()) as MlsPendingView;
    expect(await pending()).toEqual({
      epoch: null,
      isEndToEndEncrypted: true,
      readers: 3,
      add: expect.any(Array),
      remove: [],
    });
    await expectStatus(await startGroup(), 201);
    const everyone = (
      (await (await as(alice, "GET", `/api/communities/${channel.communityId}/roles`)).json()) as {
        roles: { id: string; isEveryone: boolean }[];
      }
    ).roles.find((role) => role.isEveryone)!;
    const overrides = `/api/channels/${channel.id}/overrides`;
    await expectStatus(await as(alice, "PUT", `${overrides}/roles/${everyone.id}`, { deny: ["VIEW_CHANNEL"] }), 204);
    await expectStatus(await as(alice, "PUT", `${overrides}/members/${bob.user.id}`, { allow: ["VIEW_CHANNEL"] }), 204);
    // alice (the owner) is in the group; bob may view; carol may not; mallory is no member.
    expect(await pending()).toEqual({
      epoch: 0,
      isEndToEndEncrypted: true,
      readers: 2,
      // The channel was created public: its newcomers read it from the start.
      add: [{ userId: bob.user.id, deviceIds: [bob.sessionId], readsFromStart: true }],
      remove: [],
    });
    // A commit that put carol in anyway is answered with her removal.
    await expectStatus(
      await group.rotate(devices.alice, { memberDeviceIds: [alice.sessionId, bob.sessionId, carol.sessionId] }),
      201,
    );
    expect(await pending()).toMatchObject({ epoch: 1, readers: 2, add: [], remove: [carol.sessionId] });
    expect((await as(carol, "GET", `/api/channels/${channel.id}/mls/pending`)).status).toBe(404);
    // Bob starts over with a new account key: his device, certified by the old one, is to be removed.
    const started = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const publicKey = new Uint8Array((await crypto.subtle.exportKey("raw", started.publicKey)) as ArrayBuffer);
    await expectStatus(
      await as(bob, "PUT", "/api/keys/account", { publicKey: bytesToBase64(publicKey), password: PASSWORD }),
      201,
    );
    expect((await pending()).remove.toSorted()).toEqual([bob.sessionId, carol.sessionId].toSorted());
  });

  it("refuses malformed commits, and a commit before the group exists", async () => {
    // Alice built a group she never posted.
    const unposted = await rotation(await newGroup(devices.alice, channel.id));
    const early = await as(alice, "POST", `/api/channels/${channel.id}/mls/commits`, {
      epoch: 0,
      commit: encodeMessage(unposted.commit),
      groupInfo: await groupInfoOf(unposted.newState),
      memberDeviceIds: [alice.sessionId],
    });
    expect(early.status).toBe(409);
    expect(await errorCode(early)).toBe("no_group");
    await expectStatus(await startGroup(), 201);
    expect((await group.rotate(devices.alice, { commit: "not base64!" })).status).toBe(400);
    expect((await group.rotate(devices.alice, { memberDeviceIds: [] })).status).toBe(400);
    expect((await group.rotate(devices.alice, { memberDeviceIds: [alice.sessionId, alice.sessionId] })).status).toBe(
      400,
    );
    expect((await group.rotate(devices.alice, { epoch: -1 })).status).toBe(400);
    // Nothing refused moved the group.
    expect((await log(alice)).group?.epoch).toBe(0);
  });
});

describe("what newcomers to an encrypted channel may read", () => {
  it("is everything in a public channel and from their join in a DM or a private channel, and the channel's managers change it", async () => {
    expect(channel.newcomerHistory).toBe("from_start");
    const dm = await expectStatus(await as(alice, "POST", "/api/dms", { userIds: [bob.user.id] }), 201);
    expect(((await dm.json()) as { channel: ChannelView }).channel.newcomerHistory).toBe("from_join");
    const secret = await createChannelIn(alice, channel.communityId!, { isPrivate: true });
    expect(secret.newcomerHistory).toBe("from_join");
    const changed = await expectStatus(
      await as(alice, "PATCH", `/api/channels/${channel.id}`, { newcomerHistory: "from_join" }),
      200,
    );
    expect(((await changed.json()) as { channel: ChannelView }).channel.newcomerHistory).toBe("from_join");
    expect((await as(bob, "PATCH", `/api/channels/${channel.id}`, { newcomerHistory: "from_start" })).status).toBe(403);
    expect((await as(alice, "PATCH", `/api/channels/${channel.id}`, { newcomerHistory: "always" })).status).toBe(400);
  });
});

describe("sending into a channel with an encrypted group", () => {
  /** An envelope's clear header (version 1, the epoch) in front of opaque bytes, as e2ee/ seals them. */
  const envelope = (epoch: number) => {
    const bytes = new Uint8Array(1 + 8 + 12 + 64 + 16 + 20);
    bytes[0] = 1;
    new DataView(bytes.buffer).setBigUint64(1, BigInt(epoch));
    crypto.getRandomValues(bytes.subarray(9));
    return bytesToBase64(bytes);
  };

  it("refuses a payload sealed in an epoch the group has left, and takes the current one and other payloads", async () => {
    await expectStatus(await startGroup(), 201);
    await expectStatus(await group.rotate(devices.alice), 201);
    const socket = await connect(bob, channel.id);
    const send = async (payload: string) => {
      const id = clientId();
      socket.send({ type: "send", clientId: id, payload });
      for (;;) {
        for (const frame of socket.frames) {
          if (frame.type === "ack" && frame.clientId === id) return "ack";
          if (frame.type === "error" && frame.clientId === id) return frame.code;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    expect(await send(envelope(0))).toBe("stale_epoch");
    expect(await send(envelope(1))).toBe("ack");
    expect(await send(bytesToBase64(new TextEncoder().encode("not an envelope")))).toBe("ack");
    // A commit accepted since moves the line: epoch 1 is now stale too.
    await expectStatus(await group.rotate(devices.alice), 201);
    expect(await send(envelope(1))).toBe("stale_epoch");
    expect(await send(envelope(2))).toBe("ack");
  });
});
