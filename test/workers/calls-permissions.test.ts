/**
 * CONNECT, SPEAK and VIDEO enforced per frame, moderation of a call, and access taken
 * away mid-call: alice owns the community and its voice channel, carol moderates, bob
 * is the member whose permissions change, dave a member without moderation rights.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ChannelView, CommunityView, RoleView } from "../../protocol/index.ts";
import { CLOSE_ACCESS_REMOVED } from "../../protocol/index.ts";
import {
  as,
  connect,
  createChannelIn,
  createCommunity,
  expectStatus,
  register,
  unique,
  type Person,
} from "./fixtures.ts";
import { join, joined, quiet, roster, sdp, userIdsIn } from "./calls-fixtures.ts";

let alice: Person, bob: Person, carol: Person, dave: Person;
let community: CommunityView;
let voice: ChannelView;

// People once for the file (registering hashes passwords); a new community for each test,
// so a kick or a time-out in one test is gone in the next.
beforeAll(async () => {
  [alice, bob, carol, dave] = (await Promise.all(
    ["alice", "bob", "carol", "dave"].map((name) => register(unique(name))),
  )) as [Person, Person, Person, Person];
}, 60_000);

beforeEach(async () => {
  community = await createCommunity(alice, bob, carol, dave);
  voice = await createChannelIn(alice, community.id, { kind: "voice" });
  const role = await as(alice, "POST", `/api/communities/${community.id}/roles`, {
    name: "moderator",
    position: 5,
    permissions: ["KICK_MEMBERS", "TIMEOUT_MEMBERS", "MANAGE_CHANNELS"],
  });
  const moderator = ((await role.json()) as { role: RoleView }).role;
  await expectStatus(
    await as(alice, "PUT", `/api/communities/${community.id}/members/${carol.user.id}/roles/${moderator.id}`),
    204,
  );
}, 30_000);

/** Takes permissions from bob in the voice channel (a member override, as an admin sets it). */
async function denyBob(...names: string[]): Promise<void> {
  await expectStatus(
    await as(alice, "PUT", `/api/channels/${voice.id}/overrides/members/${bob.user.id}`, { deny: names }),
    204,
  );
}

const participantOf = (call: Extract<Awaited<ReturnType<typeof roster>>, object>["call"], person: Person) =>
  call!.participants.find((participant) => participant.userId === person.user.id);

describe("permissions, per frame", () => {
  it("without CONNECT one cannot join", async () => {
    await denyBob("CONNECT");
    expect(await join(await connect(bob, voice.id))).toMatchObject({ type: "error", code: "missing_permission" });
  });

  it("without SPEAK one joins server-muted, and an offer sending audio is refused while a receiving one passes", async () => {
    await denyBob("SPEAK");
    const aliceSocket = await connect(alice, voice.id);
    const aliceJoined = await joined(aliceSocket);
    const bobSocket = await connect(bob, voice.id);
    const bobJoined = await joined(bobSocket);
    expect(participantOf(bobJoined.call, bob)).toMatchObject({ isServerMuted: true, canVideo: true });

    const to = aliceJoined.participantId;
    bobSocket.send({ type: "call.signal", to, description: { type: "offer", sdp: sdp({ audio: "sendrecv" }) } });
    expect(await bobSocket.next("error")).toMatchObject({ code: "missing_permission" });
    // No direction attribute is sendrecv.
    const bare = sdp().replaceAll("a=sendrecv\r\n", "");
    bobSocket.send({ type: "call.signal", to, description: { type: "offer", sdp: bare } });
    expect(await bobSocket.next("error")).toMatchObject({ code: "missing_permission" });
    const listening = sdp({ audio: "recvonly" });
    bobSocket.send({ type: "call.signal", to, description: { type: "offer", sdp: listening } });
    expect((await aliceSocket.next("call.signal")).from).toBe(bobJoined.participantId);
    expect(aliceSocket.frames.filter((frame) => frame.type === "call.signal")).toEqual([]);

    // Speaking while server-muted shows nobody speaking.
    bobSocket.send({ type: "call.speaking", speaking: true });
    bobSocket.send({ type: "call.state", state: { ...quiet, muted: true } });
    await roster(aliceSocket, (call) => participantOf(call, bob)?.muted === true);
    expect(aliceSocket.frames.filter((frame) => frame.type === "call.speaking")).toEqual([]);
  });

  it("without VIDEO no camera or screen: not in the join, not in call.state, not in an SDP", async () => {
    await denyBob("VIDEO");
    const aliceSocket = await connect(alice, voice.id);
    const aliceJoined = await joined(aliceSocket);
    const bobSocket = await connect(bob, voice.id);
    expect(await join(bobSocket, { state: { ...quiet, camera: true } })).toMatchObject({ code: "missing_permission" });
    const bobJoined = await joined(bobSocket);
    expect(participantOf(bobJoined.call, bob)).toMatchObject({ canVideo: false, isServerMuted: false });
    bobSocket.send({ type: "call.state", state: { ...quiet, screen: true } });
    expect(await bobSocket.next("error")).toMatchObject({ code: "missing_permission" });
    const to = aliceJoined.participantId;
    bobSocket.send({ type: "call.signal", to, description: { type: "answer", sdp: sdp({ video: "sendonly" }) } });
    expect(await bobSocket.next("error")).toMatchObject({ code: "missing_permission" });
    bobSocket.send({ type: "call.signal", to, description: { type: "answer", sdp: sdp({ video: "inactive" }) } });
    expect((await aliceSocket.next("call.signal")).from).toBe(bobJoined.participantId);
  });
});

describe("moderation", () => {
  it("a moderator mutes someone for everyone and disconnects them; a member without the right cannot", async () => {
    const bobSocket = await connect(bob, voice.id);
    const bobJoined = await joined(bobSocket);
    const daveSocket = await connect(dave, voice.id);
    await joined(daveSocket);
    const carolSocket = await connect(carol, voice.id); // moderators need not be in the call

    daveSocket.send({ type: "call.moderate", participantId: bobJoined.participantId, action: "mute" });
    expect(await daveSocket.next("error")).toMatchObject({ code: "missing_permission" });

    carolSocket.send({ type: "call.moderate", participantId: bobJoined.participantId, action: "mute" });
    const muted = await roster(daveSocket, (call) => participantOf(call, bob)?.isServerMuted === true);
    expect(participantOf(muted.call, bob)).toMatchObject({ isServerMuted: true });

    carolSocket.send({ type: "call.moderate", participantId: "not-a-participant", action: "disconnect" });
    expect(await carolSocket.next("error")).toMatchObject({ code: "not_in_call" });
    carolSocket.send({ type: "call.moderate", participantId: bobJoined.participantId, action: "disconnect" });
    expect(await bobSocket.next("call.left")).toMatchObject({ reason: "disconnected" });
    expect(userIdsIn((await roster(daveSocket, (call) => userIdsIn(call).length === 1)).call)).toEqual([dave.user.id]);
  });

  it("a moderator cannot act on the owner (nor anyone whose role is not below theirs)", async () => {
    const aliceJoined = await joined(await connect(alice, voice.id));
    const carolSocket = await connect(carol, voice.id);
    carolSocket.send({ type: "call.moderate", participantId: aliceJoined.participantId, action: "disconnect" });
    expect(await carolSocket.next("error")).toMatchObject({ code: "missing_permission" });
  });
});

describe("access taken away mid-call", () => {
  it("a kick ends that person's call at once; the others get the roster without them", async () => {
    const bobSocket = await connect(bob, voice.id);
    await joined(bobSocket);
    const aliceSocket = await connect(alice, voice.id);
    await joined(aliceSocket);
    await expectStatus(
      await as(carol, "POST", `/api/communities/${community.id}/members/${bob.user.id}/kick`, { reason: "spam" }),
      204,
    );
    expect(await bobSocket.closed()).toBe(CLOSE_ACCESS_REMOVED);
    const after = await roster(aliceSocket, (call) => !participantOf(call, bob));
    expect(userIdsIn(after.call)).toEqual([alice.user.id]);
    // Never shown as reconnecting: gone in the same turn.
    expect(
      aliceSocket.frames.some(
        (frame) => frame.type === "call.roster" && participantOf(frame.call, bob)?.isReconnecting,
      ),
    ).toBe(false);
  });

  it("losing CONNECT takes one out of the call, and losing SPEAK (a time-out) server-mutes at once", async () => {
    const bobSocket = await connect(bob, voice.id);
    await joined(bobSocket, { state: { ...quiet, camera: true } });
    const aliceSocket = await connect(alice, voice.id);
    await joined(aliceSocket);

    await expectStatus(
      await as(carol, "POST", `/api/communities/${community.id}/members/${bob.user.id}/timeout`, { minutes: 10 }),
      200,
    );
    const timedOut = await roster(aliceSocket, (call) => participantOf(call, bob)?.isServerMuted === true);
    expect(participantOf(timedOut.call, bob)).toMatchObject({ isServerMuted: true, canVideo: false, camera: false });

    await denyBob("CONNECT");
    expect(await bobSocket.next("call.left")).toMatchObject({ reason: "access_removed" });
    expect(userIdsIn((await roster(aliceSocket, (call) => !participantOf(call, bob))).call)).toEqual([alice.user.id]);
  });

  it("hiding the channel from someone closes their socket and ends their call", async () => {
    const bobSocket = await connect(bob, voice.id);
    await joined(bobSocket);
    const aliceSocket = await connect(alice, voice.id);
    await joined(aliceSocket);
    await denyBob("VIEW_CHANNEL");
    expect(await bobSocket.closed()).toBe(CLOSE_ACCESS_REMOVED);
    expect(userIdsIn((await roster(aliceSocket, (call) => !participantOf(call, bob))).call)).toEqual([alice.user.id]);
  });
});
