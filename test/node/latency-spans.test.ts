/**
 * The latency spans (LATENCY_SPANS=true, db/latency-spans.ts) against the production
 * server: /metrics/latency-spans answers only an address in METRICS_ALLOWED_ADDRESSES,
 * and every message alice sends is counted once in every span, whose times add up to
 * the total. The server trusts 127.0.0.1 as a proxy, so X-Forwarded-For stands in for
 * the scraper's address.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type WebSocket from "ws";
import { LATENCY_SPANS, type LatencySpansSnapshot } from "../../db/latency-spans.ts";
import { unpackFrames, type ServerFrame } from "../../protocol/index.ts";
import { generalChannel, openChannelSocket, registerOn, within, type Account } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const SCRAPER = { "X-Forwarded-For": "10.20.30.40" };
const OUTSIDER = { "X-Forwarded-For": "203.0.113.9" };
const MESSAGES = 3;

let database: TestDatabase;
let server: RunningServer;
let alice: Account;
let channelId: string;

beforeAll(async () => {
  database = await createTestDatabase("latency_spans");
  server = await startServer({
    databaseUrl: database.url,
    env: {
      LATENCY_SPANS: "true",
      METRICS_ALLOWED_ADDRESSES: "10.20.0.0/16",
      TRUSTED_PROXIES: "127.0.0.1",
      COMMUNITY_CREATION_MODE: "open",
    },
  });
  alice = await registerOn(server, "alice", "her long enough password 5t");
  channelId = await generalChannel(server, alice);
});

afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

const readSpans = (headers: Record<string, string>) => fetch(`${server.url}/metrics/latency-spans`, { headers });

function send(socket: WebSocket, payload: string): Promise<ServerFrame> {
  const clientId = crypto.randomUUID().replaceAll("-", "");
  const answered = new Promise<ServerFrame>((resolve) => {
    const listener = (data: WebSocket.RawData) => {
      const answer = unpackFrames(JSON.parse(String(data)) as ServerFrame).find(
        (frame) => "clientId" in frame && frame.clientId === clientId,
      );
      if (!answer) return;
      socket.off("message", listener);
      resolve(answer);
    };
    socket.on("message", listener);
  });
  socket.send(JSON.stringify({ type: "send", payload: Buffer.from(payload).toString("base64"), clientId }));
  return within(answered, 10_000, "the send's answer");
}

describe("/metrics/latency-spans", () => {
  it("is a missing page to an address outside METRICS_ALLOWED_ADDRESSES", async () => {
    const response = await readSpans(OUTSIDER);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found", message: "no such page" } });
  });

  it("counts each message once in every span, and the spans add up to the total", async () => {
    const before = (await (await readSpans(SCRAPER)).json()) as { spans: LatencySpansSnapshot };
    const { socket } = await openChannelSocket(server, alice, channelId);
    for (let index = 0; index < MESSAGES; index++) expect((await send(socket, `hello ${index}`)).type).toBe("ack");
    socket.close();
    const response = await readSpans(SCRAPER);
    expect(response.status).toBe(200);
    const { spans } = (await response.json()) as { spans: LatencySpansSnapshot };
    for (const span of LATENCY_SPANS) {
      expect(spans[span].count - before.spans[span].count, span).toBe(MESSAGES);
      expect(
        spans[span].buckets.reduce((sum, n) => sum + n, 0),
        span,
      ).toBe(spans[span].count);
    }
    const parts = LATENCY_SPANS.filter((span) => span !== "total").reduce((sum, span) => sum + spans[span].sumMs, 0);
    // Each part is clamped at 0 (two objects' clocks), so the parts may only exceed the total.
    expect(parts).toBeGreaterThanOrEqual(spans.total.sumMs);
    expect(spans.total.sumMs).toBeGreaterThan(0);
  });
});
