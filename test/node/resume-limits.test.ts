/**
 * A client far behind catches up in bounded steps: one resume sends at most 1,000
 * messages and says `hasMore`, the next goes on from there; a second resume while
 * one is running on the same socket is refused; sockets resuming at once (they share
 * the room's page reads) each get exactly what they missed. The channel is filled straight in
 * PostgreSQL (sending 1,050 messages through the rate limit would take minutes).
 */
import pg from "pg";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { socketProtocols, unpackFrames, type MessageView, type ServerFrame } from "../../protocol/index.ts";
import { call, generalChannel, registerOn } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const FILLED = 1_050;
let database: TestDatabase;
let server: RunningServer;
let token: string;
let channelId: string;
/** A channel of large messages: pages end by bytes before they end by count. */
let largeChannelId: string;
const LARGE_BYTES = 60_000;
const LARGE_FILLED = 100;

beforeAll(async () => {
  database = await createTestDatabase("resume_limits");
  server = await startServer({ databaseUrl: database.url });
  const admin = await registerOn(server, "admin", "a long enough password");
  token = admin.token;
  channelId = await generalChannel(server, admin);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(
    `insert into messages (channel_id, seq, event, sender_id, client_id, payload, payload_bytes)
     select $1, n, n, $2, 'filled-' || n, convert_to('message ' || n, 'UTF8'), 12 from generate_series(1, $3) n`,
    [channelId, admin.id, FILLED],
  );
  await client.query("update channels set last_seq = $2, last_event = $2 where id = $1", [channelId, FILLED]);
  const communities = await call(server, "/api/communities", { token });
  const created = await call(server, `/api/communities/${communities.body.communities[0].id}/channels`, {
    token,
    body: { name: "large" },
  });
  largeChannelId = created.body.channel.id;
  await client.query(
    `insert into messages (channel_id, seq, event, sender_id, client_id, payload, payload_bytes)
     select $1, n, n, $2, 'large-' || n, convert_to(repeat('x', $3), 'UTF8'), $3 from generate_series(1, $4) n`,
    [largeChannelId, admin.id, LARGE_BYTES, LARGE_FILLED],
  );
  await client.query("update channels set last_seq = $2, last_event = $2 where id = $1", [
    largeChannelId,
    LARGE_FILLED,
  ]);
  await client.end();
});

afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

async function open(channel = channelId): Promise<{ socket: WebSocket; frames: ServerFrame[] }> {
  const ticket = await call(server, `/api/channels/${channel}/socket-ticket`, { method: "POST", token });
  const socket = new WebSocket(
    `${server.url.replace("http", "ws")}/api/channels/${channel}/socket`,
    socketProtocols(ticket.body.ticket),
  );
  const frames: ServerFrame[] = [];
  socket.on("message", (data) => frames.push(...unpackFrames(JSON.parse(String(data)) as ServerFrame)));
  await new Promise<void>((resolve, reject) => socket.once("open", () => resolve()).once("error", reject));
  return { socket, frames };
}

async function until<T>(find: () => T | undefined, what: string): Promise<T> {
  for (let waited = 0; waited < 15_000; waited += 25) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no ${what}`);
}

describe("resuming from far behind", () => {
  it("comes in steps of at most 1,000 messages, each ending with synced, the last without hasMore", async () => {
    const { socket, frames } = await open();
    socket.send(JSON.stringify({ type: "resume", afterEvent: 0 }));
    // A second resume while the first runs is refused, not queued.
    socket.send(JSON.stringify({ type: "resume", afterEvent: 0 }));
    const first = await until(() => frames.find((frame) => frame.type === "synced"), "first synced");
    expect(frames.find((frame) => frame.type === "error")).toMatchObject({ code: "rate_limited" });
    const firstBatch = frames.flatMap((frame) => (frame.type === "sync" ? frame.messages : []));
    expect(firstBatch).toHaveLength(1_000);
    expect(first).toEqual({ type: "synced", lastEvent: 1_000, hasMore: true });

    frames.length = 0;
    socket.send(JSON.stringify({ type: "resume", afterEvent: 1_000 }));
    const second = await until(() => frames.find((frame) => frame.type === "synced"), "second synced");
    const rest: MessageView[] = frames.flatMap((frame) => (frame.type === "sync" ? frame.messages : []));
    expect(rest.map((message) => message.seq)).toEqual(
      Array.from({ length: FILLED - 1_000 }, (_, index) => 1_001 + index),
    );
    expect(second).toEqual({ type: "synced", lastEvent: FILLED, hasMore: false });
    socket.close();
  });

  it("gives sockets that resume at once from different events each exactly what they missed", async () => {
    // Four from 0: those arriving while the first one's read runs share the next read, then their later pages.
    const starts = [0, 0, 0, 0, 150, 500, 990, FILLED - 1, FILLED];
    const sockets = await Promise.all(starts.map(() => open()));
    await Promise.all(sockets.map(({ frames }) => until(() => frames.find((f) => f.type === "welcome"), "welcome")));
    sockets.forEach(({ socket }, index) => socket.send(JSON.stringify({ type: "resume", afterEvent: starts[index] })));
    for (const [index, { socket, frames }] of sockets.entries()) {
      const synced = await until(
        () => frames.find((frame) => frame.type === "synced"),
        `synced after ${starts[index]}`,
      );
      const end = Math.min(starts[index]! + 1_000, FILLED);
      const seqs = frames.flatMap((frame) => (frame.type === "sync" ? frame.messages.map((m) => m.seq) : []));
      expect(seqs, `resumed after ${starts[index]}`).toEqual(
        Array.from({ length: end - starts[index]! }, (_, offset) => starts[index]! + 1 + offset),
      );
      expect(synced).toEqual({ type: "synced", lastEvent: end, hasMore: end < FILLED });
      expect(frames.filter((frame) => frame.type === "error")).toEqual([]);
      socket.close();
    }
  });

  it("ends a page at the message that reaches 1 MiB of payloads, and a resume at the page that reaches 4 MiB", async () => {
    const { socket, frames } = await open(largeChannelId);
    await until(() => frames.find((frame) => frame.type === "welcome"), "welcome");
    const seqs: number[] = [];
    let after = 0;
    let resumes = 0;
    for (;;) {
      frames.length = 0;
      socket.send(JSON.stringify({ type: "resume", afterEvent: after }));
      const synced = await until(() => frames.find((frame) => frame.type === "synced"), `synced after ${after}`);
      const pages = frames.flatMap((frame) => (frame.type === "sync" ? [frame.messages] : []));
      // A page stops at the message that reaches 1 MiB: 18 of 60,000 bytes.
      for (const page of pages) expect(page.length).toBeLessThanOrEqual(18);
      const got = pages.flat().map((message) => message.seq);
      // The page that reaches 4 MiB is the resume's last: 4 pages of 18.
      expect(got.length).toBeLessThanOrEqual(4 * 18);
      seqs.push(...got);
      after = synced.lastEvent;
      resumes++;
      if (!synced.hasMore) break;
    }
    expect(seqs).toEqual(Array.from({ length: LARGE_FILLED }, (_, index) => index + 1));
    expect(resumes).toBe(2);
    socket.close();
  });
});
