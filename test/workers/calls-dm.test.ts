/**
 * DM calls ring: alice calls bob (or bob and carol), bob's account socket hears the
 * ring, and the call ends answered, declined or missed. mallory is in no conversation.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { as, connect, errorCode, expectStatus, register, unique, type Person } from "./fixtures.ts";
import { accountSocket, directConversation, joined, RING_MS, roster, userIdsIn } from "./calls-fixtures.ts";

let alice: Person, bob: Person, carol: Person, mallory: Person;

// New people for each test: a DM between two people is one channel, found again when reopened.
beforeEach(async () => {
  [alice, bob, carol, mallory] = (await Promise.all(
    ["alice", "bob", "carol", "mallory"].map((name) => register(unique(name))),
  )) as [Person, Person, Person, Person];
  // DMs need a shared community.
  const community = await as(alice, "POST", "/api/communities", { name: unique("Friends") });
  const { community: created } = (await community.json()) as { community: { id: string } };
  const invite = await as(alice, "POST", `/api/communities/${created.id}/invites`, {});
  const { code } = (await invite.json()) as { code: string };
  for (const person of [bob, carol]) {
    await expectStatus(await as(person, "POST", "/api/community-invites/accept", { code }), 200);
  }
}, 60_000);

describe("a DM call", () => {
  it("rings the other person's account socket; answered, it ends when one hangs up", async () => {
    const dm = await directConversation(alice, bob);
    const bobEvents = await accountSocket(bob);
    const aliceSocket = await connect(alice, dm.id);
    const started = await joined(aliceSocket);
    expect(started.call.ringing).toEqual([bob.user.id]);

    const ring = await bobEvents.next("call", (frame) => frame.call !== null);
    expect(ring).toMatchObject({ channelId: dm.id, call: { ringing: [bob.user.id], startedBy: alice.user.id } });
    expect(ring.call!.participants.map((participant) => participant.userId)).toEqual([alice.user.id]);

    const bobSocket = await connect(bob, dm.id);
    await joined(bobSocket);
    const both = await roster(aliceSocket, (call) => userIdsIn(call).length === 2);
    expect(both.call!.ringing).toEqual([]);
    await bobEvents.next("call", (frame) => frame.call?.ringing.length === 0);

    aliceSocket.send({ type: "call.leave" });
    expect(await bobSocket.next("call.left")).toMatchObject({ reason: "ended" });
    const ended = await aliceSocket.next("call.ended");
    expect(ended).toMatchObject({ callId: started.call.callId, startedBy: alice.user.id, outcome: "answered" });
    expect(ended.durationMs).toBeGreaterThanOrEqual(0);
    expect(await bobEvents.next("call", (frame) => frame.call === null)).toEqual({
      type: "call",
      channelId: dm.id,
      call: null,
    });
  });

  it("declined by the one rung, it ends as declined; a second decline or an outsider's is refused", async () => {
    const dm = await directConversation(alice, bob);
    const aliceSocket = await connect(alice, dm.id);
    const started = await joined(aliceSocket);
    expect((await as(mallory, "POST", `/api/channels/${dm.id}/call/decline`)).status).toBe(404);

    await expectStatus(await as(bob, "POST", `/api/channels/${dm.id}/call/decline`), 204);
    expect(await aliceSocket.next("call.left")).toMatchObject({ reason: "ended" });
    expect(await aliceSocket.next("call.ended")).toMatchObject({ callId: started.call.callId, outcome: "declined" });
    const again = await as(bob, "POST", `/api/channels/${dm.id}/call/decline`);
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("not_ringing");
  });

  it("unanswered, the ring stops after CALL_RING_MS and the call ends as missed", async () => {
    const dm = await directConversation(alice, bob);
    const bobEvents = await accountSocket(bob);
    const aliceSocket = await connect(alice, dm.id);
    await joined(aliceSocket);
    await bobEvents.next("call", (frame) => frame.call !== null);
    expect(await aliceSocket.next("call.ended", () => true, RING_MS + 5_000)).toMatchObject({ outcome: "missed" });
    await bobEvents.next("call", (frame) => frame.call === null);
  });

  it("in a group DM, one declining leaves the others rung; the call goes on when someone answers", async () => {
    const group = await directConversation(alice, bob, carol);
    const aliceSocket = await connect(alice, group.id);
    const started = await joined(aliceSocket);
    expect([...started.call.ringing].sort()).toEqual([bob.user.id, carol.user.id].sort());
    await expectStatus(await as(bob, "POST", `/api/channels/${group.id}/call/decline`), 204);
    const stillRinging = await roster(aliceSocket, (call) => call!.ringing.length === 1);
    expect(stillRinging.call!.ringing).toEqual([carol.user.id]);
    const carolSocket = await connect(carol, group.id);
    await joined(carolSocket);
    await roster(aliceSocket, (call) => userIdsIn(call).length === 2 && call!.ringing.length === 0);
    carolSocket.send({ type: "call.leave" });
    expect(await aliceSocket.next("call.ended")).toMatchObject({ outcome: "answered" });
  });
});
