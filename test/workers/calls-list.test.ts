/**
 * Who sees which calls from outside them: alice owns a community with a public and a
 * private voice channel, bob is a member who may view only the public one, mallory is
 * in no community of theirs. `GET /api/calls` and the account socket's `call` event
 * show a call to those who may view its channel, and to nobody else.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallSummary, ChannelView } from "../../protocol/index.ts";
import { as, connect, createChannelIn, createCommunity, register, unique, type Person } from "./fixtures.ts";
import { accountSocket, joined } from "./calls-fixtures.ts";

let alice: Person, bob: Person, mallory: Person;
let lounge: ChannelView, backstage: ChannelView;

beforeAll(async () => {
  [alice, bob, mallory] = (await Promise.all(["alice", "bob", "mallory"].map((name) => register(unique(name))))) as [
    Person,
    Person,
    Person,
  ];
}, 60_000);

beforeEach(async () => {
  const community = await createCommunity(alice, bob);
  lounge = await createChannelIn(alice, community.id, { kind: "voice" });
  backstage = await createChannelIn(alice, community.id, { kind: "voice", isPrivate: true });
}, 30_000);

async function callsSeenBy(person: Person): Promise<CallSummary[]> {
  const response = await as(person, "GET", "/api/calls");
  expect(response.status).toBe(200);
  return ((await response.json()) as { calls: CallSummary[] }).calls;
}

/** The list is written by the room after each change: wait until it says what is expected. */
async function eventually(person: Person, check: (calls: CallSummary[]) => boolean): Promise<CallSummary[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const calls = await callsSeenBy(person);
    if (check(calls)) return calls;
    if (Date.now() > deadline) throw new Error(`GET /api/calls still shows ${JSON.stringify(calls)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const channelIds = (calls: CallSummary[]) => calls.map((call) => call.channelId).sort();

describe("calls seen from outside", () => {
  it("GET /api/calls lists a voice channel's call to members who may view it, not a private one's", async () => {
    const loungeSocket = await connect(alice, lounge.id);
    await joined(loungeSocket);
    await joined(await connect(alice, backstage.id));

    const mine = await eventually(alice, (calls) => calls.length === 2);
    expect(channelIds(mine)).toEqual([lounge.id, backstage.id].sort());
    const bobs = await callsSeenBy(bob);
    expect(channelIds(bobs)).toEqual([lounge.id]);
    expect(bobs[0]).toMatchObject({
      communityId: lounge.communityId,
      startedBy: alice.user.id,
      ringing: [],
      participants: [{ userId: alice.user.id, muted: false, camera: false, screen: false }],
    });
    expect(await callsSeenBy(mallory)).toEqual([]);

    loungeSocket.send({ type: "call.leave" });
    await eventually(bob, (calls) => calls.length === 0);
  });

  it("the account socket hears of calls in voice channels the person may view, live, and of their end", async () => {
    const bobEvents = await accountSocket(bob);
    const malloryEvents = await accountSocket(mallory);
    await joined(await connect(alice, backstage.id));
    const loungeSocket = await connect(alice, lounge.id);
    await joined(loungeSocket);
    const started = await bobEvents.next("call", (frame) => frame.call !== null);
    expect(started).toMatchObject({ channelId: lounge.id, call: { participants: [{ userId: alice.user.id }] } });

    loungeSocket.send({ type: "call.state", state: { muted: true, deafened: false, camera: false, screen: false } });
    expect((await bobEvents.next("call")).call!.participants[0]).toMatchObject({ muted: true });
    loungeSocket.send({ type: "call.leave" });
    expect(await bobEvents.next("call")).toEqual({ type: "call", channelId: lounge.id, call: null });
    expect(bobEvents.frames.some((frame) => frame.type === "call" && frame.channelId === backstage.id)).toBe(false);
    expect(malloryEvents.frames.some((frame) => frame.type === "call")).toBe(false);
  });
});
