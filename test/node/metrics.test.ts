/**
 * /metrics against the production server: refused (with nothing said) without the token
 * or from outside METRICS_ALLOWED_ADDRESSES, served with either, in Prometheus' text
 * format, and its counts follow what people do: requests by route pattern, an open
 * socket, a stored message, an upload's bytes. The server trusts 127.0.0.1 as a proxy,
 * so X-Forwarded-For stands in for scrapers at other addresses.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type WebSocket from "ws";
import { METRICS } from "../../db/metrics.ts";
import { unpackFrames, type ServerFrame } from "../../protocol/index.ts";
import { call, generalChannel, openChannelSocket, registerOn, within, type Account } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { root, startServer, type RunningServer } from "../support/server.ts";

const METRICS_TOKEN = "9f".repeat(32);
const SCRAPER_ADDRESS = "10.20.30.40";
const OUTSIDER_ADDRESS = "203.0.113.9";
const NOT_FOUND = { error: { code: "not_found", message: "no such page" } };

let database: TestDatabase;
let server: RunningServer;
let alice: Account;
let channelId: string;

beforeAll(async () => {
  database = await createTestDatabase("metrics");
  server = await startServer({
    databaseUrl: database.url,
    env: {
      METRICS_TOKEN,
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

const scrape = (headers: Record<string, string> = { Authorization: `Bearer ${METRICS_TOKEN}` }) =>
  fetch(`${server.url}/metrics`, { headers });

/** The exposition, parsed: every line checked against the format; samples by name and labels. */
async function readMetrics(): Promise<Sample[]> {
  const response = await scrape();
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  return parseExposition(await response.text());
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/g;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (\S+)$/;

function parseExposition(text: string): Sample[] {
  expect(text.endsWith("\n")).toBe(true);
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.slice(0, -1).split("\n")) {
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)$/.exec(line);
    if (type) {
      expect(types.has(type[1]!), `${type[1]} declared twice`).toBe(false);
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* \S/.test(line)) continue;
    const sample = SAMPLE.exec(line);
    expect(sample, `not exposition format: ${line}`).not.toBeNull();
    const [, name, labelText = "", valueText] = sample!;
    const value = valueText === "+Inf" ? Infinity : Number(valueText);
    expect(Number.isNaN(value), line).toBe(false);
    const base = name!.replace(/_(bucket|sum|count)$/, "");
    const family = types.get(name!) ?? types.get(base);
    expect(family, `${name} has no TYPE line before it`).toBeDefined();
    if (family === "counter") expect(value).toBeGreaterThanOrEqual(0);
    const labels = Object.fromEntries([...labelText.matchAll(LABEL)].map((match) => [match[1]!, match[2]!]));
    samples.push({ name: name!, labels, value });
  }
  checkHistograms(samples, types);
  return samples;
}

/** Buckets never fall as `le` grows, and +Inf holds the count. */
function checkHistograms(samples: Sample[], types: Map<string, string>): void {
  for (const [name, type] of types) {
    if (type !== "histogram") continue;
    const series = new Map<string, Sample[]>();
    for (const sample of samples.filter((one) => one.name === `${name}_bucket`)) {
      const { le, ...rest } = sample.labels;
      const key = JSON.stringify(rest);
      series.set(key, [...(series.get(key) ?? []), sample]);
    }
    for (const [key, buckets] of series) {
      const values = buckets.map((bucket) => bucket.value);
      expect(values, `${name} ${key}`).toEqual([...values].sort((a, b) => a - b));
      expect(buckets.at(-1)!.labels.le).toBe("+Inf");
      const total = samples.find((one) => one.name === `${name}_count` && JSON.stringify(one.labels) === key);
      expect(total?.value, `${name}_count ${key}`).toBe(values.at(-1));
    }
  }
}

const valueOf = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples
    .filter((one) => one.name === name && Object.entries(labels).every(([key, value]) => one.labels[key] === value))
    .reduce((sum, one) => sum + one.value, 0);

/** Waits until the scraped value satisfies `isDone` (sockets close and rooms count in the background). */
async function untilMetric(name: string, isDone: (value: number) => boolean): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = valueOf(await readMetrics(), name);
    if (isDone(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

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

describe("/metrics access", () => {
  it("answers a caller with no token, a wrong token or an outside address 404, saying nothing", async () => {
    const refusals = [
      await scrape({}),
      await scrape({ Authorization: `Bearer ${"0".repeat(64)}` }),
      await scrape({ Authorization: `Basic ${btoa(`prometheus:${METRICS_TOKEN}`)}` }),
      await scrape({ "X-Forwarded-For": OUTSIDER_ADDRESS }),
    ];
    // The same answer as a file that is not there.
    const missingFile = await fetch(`${server.url}/no-such-file.txt`);
    for (const response of [...refusals, missingFile]) {
      expect(response.status).toBe(404);
      const text = await response.text();
      const { requestId, ...error } = JSON.parse(text).error;
      expect({ error }).toEqual(NOT_FOUND);
      expect(requestId).toBe(response.headers.get("X-Request-Id"));
      expect(text).not.toContain("chatalot_");
    }
  });

  it("serves the bearer token's holder and an address in the allowed range", async () => {
    expect(valueOf(await readMetrics(), "chatalot_database_pool_size")).toBe(4);
    const fromRange = await scrape({ "X-Forwarded-For": SCRAPER_ADDRESS });
    expect(fromRange.status).toBe(200);
    expect(parseExposition(await fromRange.text()).length).toBeGreaterThan(0);
  });
});

describe("/metrics counts", () => {
  it("counts a request under its route pattern and status, never its path", async () => {
    const series = { method: "GET", route: "/api/users/:userId", status: "200" };
    const before = valueOf(await readMetrics(), "chatalot_http_requests_total", series);
    expect((await call(server, `/api/users/${alice.id}`, { token: alice.token })).status).toBe(200);
    expect((await call(server, `/api/users/${alice.id}`, { token: alice.token })).status).toBe(200);
    const after = await readMetrics();
    expect(valueOf(after, "chatalot_http_requests_total", series)).toBe(before + 2);
    expect(valueOf(after, "chatalot_http_request_duration_seconds_count", { route: series.route })).toBe(before + 2);
    expect(after.some((sample) => Object.values(sample.labels).some((value) => value.includes(alice.id)))).toBe(false);
    expect(valueOf(after, "chatalot_database_query_duration_seconds_count")).toBeGreaterThan(0);
  });

  it("counts the channels whose messages shared one append statement", async () => {
    // Bob's own community, so alice's spent budget (the frame flood below) plays no part.
    const bob = await registerOn(server, "bob", "his long enough password 5t");
    const created = await call(server, "/api/communities", { token: bob.token, body: { name: "Bursts" } });
    const channelIds = [];
    for (let index = 0; index < 6; index++) {
      const channel = await call(server, `/api/communities/${created.body.community.id}/channels`, {
        token: bob.token,
        body: { name: `burst-${index}` },
      });
      channelIds.push(channel.body.channel.id as string);
    }
    const sockets = await Promise.all(channelIds.map((id) => openChannelSocket(server, bob, id)));
    const before = await readMetrics();
    // Sent in the same instant: rooms that wait together share a statement (db/append-groups.ts).
    const answers = await Promise.all(
      sockets.flatMap(({ socket }) => [send(socket, "together"), send(socket, "again")]),
    );
    expect(answers.map((answer) => answer.type)).toEqual(answers.map(() => "ack"));
    const after = await readMetrics();
    const statements =
      valueOf(after, "chatalot_append_statement_channels_count") -
      valueOf(before, "chatalot_append_statement_channels_count");
    const channels =
      valueOf(after, "chatalot_append_statement_channels_sum") -
      valueOf(before, "chatalot_append_statement_channels_sum");
    expect(channels).toBeGreaterThanOrEqual(6);
    expect(statements).toBeLessThan(channels);
    for (const { socket } of sockets) socket.close();
  });

  it("shows an open socket and its room, and a stored message", async () => {
    const sockets = valueOf(await readMetrics(), "chatalot_open_sockets");
    const stored = valueOf(await readMetrics(), "chatalot_messages_stored_total");
    const { socket, closed } = await openChannelSocket(server, alice, channelId);
    expect(await untilMetric("chatalot_open_sockets", (value) => value === sockets + 1)).toBe(sockets + 1);
    expect(valueOf(await readMetrics(), "chatalot_active_rooms")).toBeGreaterThanOrEqual(1);

    const answer = await send(socket, "hello, metrics");
    expect(answer.type).toBe("ack");
    const afterSend = await readMetrics();
    expect(valueOf(afterSend, "chatalot_messages_stored_total")).toBe(stored + 1);
    expect(valueOf(afterSend, "chatalot_append_batch_size_count")).toBeGreaterThanOrEqual(1);

    // Frames past the socket's rate are refused, and counted.
    const refused = new Promise<void>((resolve) =>
      socket.on("message", (data) => {
        const frames = unpackFrames(JSON.parse(String(data)) as ServerFrame);
        if (frames.some((frame) => frame.type === "error" && frame.code === "rate_limited")) resolve();
      }),
    );
    for (let index = 0; index < 60; index++) socket.send(JSON.stringify({ type: "typing" }));
    await within(refused, 10_000, "a rate_limited error frame");
    expect(valueOf(await readMetrics(), "chatalot_refusals_total", { code: "socket_frame_rate" })).toBeGreaterThan(0);

    socket.close();
    await closed;
    expect(await untilMetric("chatalot_open_sockets", (value) => value === sockets)).toBe(sockets);
  });

  it("counts an upload's bytes and a refusal by a limit", async () => {
    const bytes = valueOf(await readMetrics(), "chatalot_upload_bytes_total");
    const created = await call(server, `/api/channels/${channelId}/uploads`, {
      token: alice.token,
      body: { size: 3000 },
    });
    expect(created.status, created.text).toBe(201);
    const part = await fetch(`${server.url}/api/uploads/${created.body.upload.id}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${alice.token}`, "Upload-Offset": "0" },
      body: new Uint8Array(3000),
    });
    expect(part.status).toBe(200);
    expect(valueOf(await readMetrics(), "chatalot_upload_bytes_total")).toBe(bytes + 3000);

    // Wrong passwords for one account from one address until the lockout answers 429.
    let refused = 0;
    for (let attempt = 0; attempt < 30 && refused === 0; attempt++) {
      const answer = await call(server, "/api/auth/login", { body: { username: "alice", password: "wrong guess 1" } });
      if (answer.status === 429) refused++;
    }
    expect(refused).toBe(1);
    const refusals = await readMetrics();
    expect(
      valueOf(refusals, "chatalot_refusals_total", { code: "locked_out" }) +
        valueOf(refusals, "chatalot_refusals_total", { code: "rate_limited" }),
    ).toBeGreaterThanOrEqual(1);
    expect(valueOf(refusals, "chatalot_password_checks_in_flight")).toBe(0);
  });
});

describe("docs/grafana-dashboard.json", () => {
  it("queries only metrics the server records, and every one of them", () => {
    const dashboard = readFileSync(join(root, "docs", "grafana-dashboard.json"), "utf8");
    const queried = new Set(
      [...dashboard.matchAll(/chatalot_[a-z_]+/g)].map((match) => match[0].replace(/_(bucket|sum|count)$/, "")),
    );
    // Process memory is recorded only where the runtime tells it, which workerd does not.
    const recorded = Object.keys(METRICS).filter((name) => name !== "chatalot_process_memory_bytes");
    expect([...queried].sort()).toEqual(recorded.sort());
  });
});
