/**
 * One person, many sockets: each socket's own frame limit is not the limit of the
 * person. Sockets in several channels share an account-wide budget of frames and
 * bytes, and the reads whose cost grows with a channel are limited per person.
 */
import { describe, expect, it } from "vitest";
import { as, clientId, connect, createChannelIn, createCommunity, register, text, unique } from "./fixtures.ts";

/** What each socket may send at once by itself (twice SOCKET_FRAMES_PER_SECOND, 10 here). */
const SOCKET_BURST = 20;
/** Twice the account-wide rate, three sockets' worth (rooms/user-budget.ts). */
const ACCOUNT_BURST = 60;

describe("an account with many sockets", () => {
  it("cannot send more across its sockets than its account-wide budget, however many it opens", async () => {
    const mallory = await register(unique("mallory"));
    const community = await createCommunity(mallory);
    const channels = await Promise.all(Array.from({ length: 5 }, () => createChannelIn(mallory, community.id)));
    const sockets = await Promise.all(channels.map((channel) => connect(mallory, channel.id)));
    // Each socket sends its own burst at once: 100 frames, each socket within its own limit.
    for (const socket of sockets) {
      for (let index = 0; index < SOCKET_BURST; index++) {
        socket.send({ type: "send", clientId: clientId(), payload: text("flood") });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const framesOf = (type: string, pattern = /./) =>
      sockets.flatMap((socket) =>
        socket.frames.filter(
          (frame) => frame.type === type && (type !== "error" || pattern.test((frame as { message: string }).message)),
        ),
      ).length;
    const refusedTogether = framesOf("error", /together/);
    const acked = framesOf("ack");
    expect(refusedTogether, "frames refused by the account's budget").toBeGreaterThan(0);
    expect(acked + refusedTogether).toBe(sockets.length * SOCKET_BURST);
    // The burst, and what refilled while the frames were arriving (30 a second).
    expect(acked).toBeLessThanOrEqual(ACCOUNT_BURST + 30);
    for (const socket of sockets) socket.close();
  });

  it("cannot send more bytes than its budget either, even in few frames", async () => {
    const mallory = await register(unique("mallory"));
    const community = await createCommunity(mallory);
    const channels = await Promise.all(Array.from({ length: 6 }, () => createChannelIn(mallory, community.id)));
    const sockets = await Promise.all(channels.map((channel) => connect(mallory, channel.id)));
    // 60 frames (within the frame budget's burst) of 64 KB each: 3.8 MB against a 2 MiB burst.
    const large = text("x".repeat(48_000));
    for (const socket of sockets) {
      for (let index = 0; index < 10; index++) socket.send({ type: "send", clientId: clientId(), payload: large });
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const refused = sockets.flatMap((socket) =>
      socket.frames.filter((frame) => frame.type === "error" && /together/.test(frame.message)),
    );
    expect(refused.length).toBeGreaterThan(0);
    for (const socket of sockets) socket.close();
  });
});

describe("reads whose cost grows with the channel", () => {
  it("are limited per person, whatever address or session asks", { timeout: 60_000 }, async () => {
    const mallory = await register(unique("mallory"));
    const community = await createCommunity(mallory);
    const channel = await createChannelIn(mallory, community.id);
    let last = 0;
    for (let index = 0; index <= 300 && last !== 429; index++) {
      const response = await as(mallory, "GET", `/api/channels/${channel.id}/mls/pending`);
      await response.body?.cancel();
      last = response.status;
    }
    expect(last).toBe(429);
  });
});
