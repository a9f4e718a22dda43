/**
 * A voice channel's call, through the real socket route: alice, bob and carol are in
 * a community with a voice channel; dave is a member who stays out of the call. Each
 * sentence is checked by the frames their channel sockets receive.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ChannelView } from "../../protocol/index.ts";
import { connect, createChannelIn, createCommunity, register, unique, type Person } from "./fixtures.ts";
import { join, joined, quiet, roster, sdp, userIdsIn, voiceChannel } from "./calls-fixtures.ts";

let alice: Person, bob: Person, carol: Person, dave: Person;
let voice: ChannelView;

// People once for the file (registering hashes passwords); a new voice channel for each test.
beforeAll(async () => {
  [alice, bob, carol, dave] = (await Promise.all(
    ["alice", "bob", "carol", "dave"].map((name) => register(unique(name))),
  )) as [Person, Person, Person, Person];
}, 60_000);

beforeEach(async () => {
  voice = await voiceChannel(alice, bob, carol, dave);
}, 30_000);

describe("joining and leaving a voice channel's call", () => {
  it("the first join starts the call; a newcomer and those already in it see the same roster", async () => {
    const aliceSocket = await connect(alice, voice.id);
    const bobSocket = await connect(bob, voice.id);
    const daveSocket = await connect(dave, voice.id);

    const aliceJoined = await joined(aliceSocket);
    expect(aliceJoined.call.participants.map((participant) => participant.userId)).toEqual([alice.user.id]);
    expect(aliceJoined.maxParticipants).toBe(3);
    expect(aliceJoined.call.ringing).toEqual([]);

    const bobJoined = await joined(bobSocket);
    expect(bobJoined.call.participants.map((participant) => participant.userId)).toEqual([alice.user.id, bob.user.id]);
    const both = [alice.user.id, bob.user.id].sort();
    const seenByAlice = await roster(aliceSocket, (call) => userIdsIn(call).length === 2);
    const seenByDave = await roster(daveSocket, (call) => userIdsIn(call).length === 2);
    expect(userIdsIn(seenByAlice.call)).toEqual(both);
    expect(seenByDave.call).toEqual(seenByAlice.call);
    expect(seenByAlice.call!.participants[1]).toMatchObject({
      participantId: bobJoined.participantId,
      isServerMuted: false,
      canVideo: true,
      isReconnecting: false,
      speaking: false,
    });

    bobSocket.send({ type: "call.leave" });
    expect(await bobSocket.next("call.left")).toMatchObject({ callId: bobJoined.call.callId, reason: "left" });
    await roster(daveSocket, (call) => userIdsIn(call).length === 1);

    aliceSocket.send({ type: "call.leave" });
    const ended = await daveSocket.next("call.ended");
    expect(ended).toMatchObject({ callId: aliceJoined.call.callId, startedBy: alice.user.id });
    expect((await daveSocket.next("call.roster")).call).toBeNull();
  });

  it("a socket that opens while a call is on gets the roster right after its welcome", async () => {
    const aliceSocket = await connect(alice, voice.id);
    await joined(aliceSocket);
    const late = await connect(dave, voice.id);
    expect(userIdsIn((await late.next("call.roster")).call)).toEqual([alice.user.id]);
    expect(late.received.map((frame) => frame.type).slice(0, 2)).toEqual(["welcome", "call.roster"]);
  });

  it("a text channel has no call", async () => {
    const community = await createCommunity(alice);
    const text = await createChannelIn(alice, community.id);
    const socket = await connect(alice, text.id);
    expect(await join(socket)).toMatchObject({ type: "error", code: "call_unavailable" });
  });

  it("a full call turns the next person away and says why", async () => {
    for (const person of [alice, bob, carol]) await joined(await connect(person, voice.id));
    const refused = await join(await connect(dave, voice.id));
    expect(refused).toMatchObject({ type: "error", code: "call_unavailable" });
    expect((refused as { message: string }).message).toMatch(/full.*3/);
  });

  it("a device joins once: a second join is refused, a rejoin moves it and tells the old socket", async () => {
    const first = await connect(bob, voice.id);
    const bobJoined = await joined(first);
    const watcher = await connect(alice, voice.id);
    const second = await connect(bob, voice.id); // the same session: the same device
    expect(await join(second)).toMatchObject({ type: "error", code: "already_in_call" });

    const again = await joined(second, { rejoin: bobJoined.participantId });
    expect(again.participantId).toBe(bobJoined.participantId);
    expect(await first.next("call.left")).toMatchObject({ reason: "replaced" });
    // Signals for bob now reach the new socket only.
    const aliceJoined = await joined(watcher);
    watcher.send({ type: "call.signal", to: bobJoined.participantId, description: { type: "offer", sdp: sdp() } });
    expect(await second.next("call.signal")).toMatchObject({ from: aliceJoined.participantId });
    expect(first.frames.filter((frame) => frame.type === "call.signal")).toEqual([]);
  });

  it("a closed socket's participant shows as reconnecting, then leaves once the grace period passes", async () => {
    const bobSocket = await connect(bob, voice.id);
    const bobJoined = await joined(bobSocket);
    const aliceSocket = await connect(alice, voice.id);
    await joined(aliceSocket);
    bobSocket.close();
    const away = await roster(aliceSocket, (call) =>
      call!.participants.some((participant) => participant.userId === bob.user.id && participant.isReconnecting),
    );
    expect(away.call!.participants.find((participant) => participant.userId === bob.user.id)!.participantId).toBe(
      bobJoined.participantId,
    );
    const gone = await roster(aliceSocket, (call) => userIdsIn(call).length === 1, 10_000);
    expect(userIdsIn(gone.call)).toEqual([alice.user.id]);
  });

  it("a socket back within the grace period keeps its place", async () => {
    const bobSocket = await connect(bob, voice.id);
    const bobJoined = await joined(bobSocket);
    const aliceSocket = await connect(alice, voice.id);
    await joined(aliceSocket);
    bobSocket.close();
    await roster(aliceSocket, (call) => call!.participants.some((participant) => participant.isReconnecting));
    const back = await connect(bob, voice.id);
    expect((await joined(back, { rejoin: bobJoined.participantId })).participantId).toBe(bobJoined.participantId);
    const healed = await roster(aliceSocket, (call) =>
      call!.participants.every((participant) => !participant.isReconnecting),
    );
    expect(userIdsIn(healed.call)).toEqual([alice.user.id, bob.user.id].sort());
  });
});

describe("signals", () => {
  it("reach the named participant only, never another participant or someone outside the call", async () => {
    const sockets = await Promise.all([alice, bob, carol, dave].map((person) => connect(person, voice.id)));
    const [aliceSocket, bobSocket, carolSocket, daveSocket] = sockets as [
      (typeof sockets)[0],
      (typeof sockets)[0],
      (typeof sockets)[0],
      (typeof sockets)[0],
    ];
    const aliceJoined = await joined(aliceSocket);
    const bobJoined = await joined(bobSocket);
    await joined(carolSocket);

    const candidate = {
      candidate: "candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host",
      sdpMid: "0",
      sdpMLineIndex: 0,
    };
    aliceSocket.send({ type: "call.signal", to: bobJoined.participantId, description: { type: "offer", sdp: sdp() } });
    aliceSocket.send({ type: "call.signal", to: bobJoined.participantId, candidate });
    expect(await bobSocket.next("call.signal")).toEqual({
      type: "call.signal",
      from: aliceJoined.participantId,
      description: { type: "offer", sdp: sdp() },
    });
    expect(await bobSocket.next("call.signal")).toEqual({
      type: "call.signal",
      from: aliceJoined.participantId,
      candidate,
    });
    bobSocket.send({ type: "call.speaking", speaking: true });
    expect(await aliceSocket.next("call.speaking")).toEqual({
      type: "call.speaking",
      participantId: bobJoined.participantId,
      speaking: true,
    });
    await carolSocket.next("call.speaking");
    // dave is not in the call: no signal and no speaking reached him, and he may not signal.
    expect(daveSocket.frames.filter((frame) => frame.type === "call.signal" || frame.type === "call.speaking")).toEqual(
      [],
    );
    expect(carolSocket.frames.filter((frame) => frame.type === "call.signal")).toEqual([]);
    daveSocket.send({ type: "call.signal", to: bobJoined.participantId, candidate });
    expect(await daveSocket.next("error")).toMatchObject({ code: "not_in_call" });
  });

  it("bad signals get stable codes and nothing is relayed", async () => {
    const aliceSocket = await connect(alice, voice.id);
    const bobSocket = await connect(bob, voice.id);
    await joined(aliceSocket);
    const bobJoined = await joined(bobSocket);
    const to = bobJoined.participantId;

    aliceSocket.send({
      type: "call.signal",
      to,
      description: { type: "offer", sdp: "v=0\r\n" + "a".repeat(25 * 1024) },
    });
    expect(await aliceSocket.next("error")).toMatchObject({ code: "invalid_frame" });
    aliceSocket.send({ type: "call.signal", to: "nobody-in-this-call", description: { type: "offer", sdp: sdp() } });
    expect(await aliceSocket.next("error")).toMatchObject({ code: "not_in_call" });
    aliceSocket.send({ type: "call.signal", to, description: { type: "offer", sdp: sdp() }, candidate: {} });
    expect(await aliceSocket.next("error")).toMatchObject({ code: "invalid_frame" });

    const candidate = { candidate: "candidate:1 1 udp 1 192.0.2.1 1 typ host", sdpMid: "0", sdpMLineIndex: 0 };
    for (let index = 0; index < 6; index++) aliceSocket.send({ type: "call.signal", to, candidate });
    const flood = await aliceSocket.next("error");
    expect(flood).toMatchObject({ code: "rate_limited" });
    expect(flood.message).toMatch(/ICE candidates/);
    // Five candidates (the test's limit a minute) reached bob, and nothing else.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const relayed = bobSocket.frames.filter((frame) => frame.type === "call.signal");
    expect(relayed).toHaveLength(5);
    expect(relayed.every((frame) => "candidate" in frame)).toBe(true);
  });

  it("a participant's burst of offers goes past the socket's frame rate: the call's own limits bound it", async () => {
    const aliceSocket = await connect(alice, voice.id);
    const bobSocket = await connect(bob, voice.id);
    await joined(aliceSocket);
    const bobJoined = await joined(bobSocket);
    // Past the socket's burst of 20 frames (a newcomer offering to a full mesh does this).
    const burst = 30;
    for (let index = 0; index < burst; index++) {
      aliceSocket.send({
        type: "call.signal",
        to: bobJoined.participantId,
        description: { type: "offer", sdp: sdp() },
      });
    }
    for (let index = 0; index < burst; index++) await bobSocket.next("call.signal");
    expect(aliceSocket.frames.filter((frame) => frame.type === "error")).toEqual([]);
  });

  it("call frames from a socket that is not in the call are refused", async () => {
    const socket = await connect(dave, voice.id);
    for (const frame of [
      { type: "call.leave" },
      { type: "call.state", state: quiet },
      { type: "call.speaking", speaking: true },
    ]) {
      socket.send(frame);
      expect(await socket.next("error")).toMatchObject({ code: "not_in_call" });
    }
  });
});
