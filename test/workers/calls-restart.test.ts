/**
 * A room's call survives the room: hibernation keeps its sockets, and after a crash
 * (the object aborted, its sockets gone with it) the call read back from storage shows
 * the vanished participants reconnecting, then ends once the grace period passes.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { connect, register, unique } from "./fixtures.ts";
import { GRACE_MS, joined, roster, userIdsIn, voiceChannel } from "./calls-fixtures.ts";

describe("a call across a restart of its room", () => {
  it("remembers who was in it, gives them the grace period to come back, then ends it", async () => {
    const [alice, bob, dave] = await Promise.all(["alice", "bob", "dave"].map((name) => register(unique(name))));
    const voice = await voiceChannel(alice!, bob!, dave!);
    const aliceSocket = await connect(alice!, voice.id);
    const started = await joined(aliceSocket);
    await joined(await connect(bob!, voice.id));

    const room = env.CHANNEL_ROOM.getByName(voice.id);
    await runInDurableObject(room, (_instance, state) => {
      try {
        state.abort("a crash, for the test");
      } catch {
        // aborting throws in the aborted object's own call
      }
    }).catch(() => {});
    await aliceSocket.closed();

    const daveSocket = await connect(dave!, voice.id);
    const after = await roster(daveSocket, (call) => call !== null);
    expect(after.call!.callId).toBe(started.call.callId);
    expect(userIdsIn(after.call)).toEqual([alice!.user.id, bob!.user.id].sort());
    expect(after.call!.participants.every((participant) => participant.isReconnecting)).toBe(true);
    expect(await daveSocket.next("call.ended", () => true, GRACE_MS + 5_000)).toMatchObject({
      callId: started.call.callId,
    });
  }, 30_000);
});
