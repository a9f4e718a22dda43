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
import { unpackFrames, type MessageView, type ServerFrame } from "../../protocol/index.ts";
import { call, generalChannel, registerOn } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const FILLED = 1_050;
let database: TestDatabase;
let server: RunningServer;
let token: string;
let channelId: string;

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
  await client.end();
});

afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

async function open(): Promise<{ socket: WebSocket; frames: ServerFrame[] }> {
  const ticket = await call(server, `/api/channels/${channelId}/socket-ticket`, { method: "POST", token });
  const socket = new WebSocket(
    `${server.url.replace("http", "ws")}/api/channels/${channelId}/socket?ticket=${ticket.body.ticket}`,
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
});
