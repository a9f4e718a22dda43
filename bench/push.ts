/**
 * Web Push under load (issue #23): alice writes to `--people` people, one DM each,
 * at `--rate` messages a second in all, while none of them has a tab open, so every
 * DM is theirs to hear about through the fake push service (test/support/push-service.ts,
 * which checks each push's VAPID signature and decrypts it, as the real edge would).
 * It prints the pushes sent per second, and alice's send latency (send to ack) with
 * pushes on beside the same load on a server with Web Push off (no VAPID key): the
 * difference is what pushes cost the sender, and should be about nothing.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx node bench/push.ts [--people 20] [--rate 500] [--seconds 10]
 *
 * Pushes per channel are bounded by design: a channel's activity (and so its
 * notification decision) is coalesced to at most one a second, and one waiting push per
 * channel replaces the previous one. So pushes a second are about `--people`, not `--rate`.
 */
import { generateKeyPairSync } from "node:crypto";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import type WebSocket from "ws";
import { call, createCommunityWith, openChannelSocket, registerOn, type Account } from "../test/support/accounts.ts";
import { createTestDatabase } from "../test/support/database.ts";
import { startPushService, type FakePushService } from "../test/support/push-service.ts";
import { startServer, type RunningServer } from "../test/support/server.ts";
import { ClientAddresses, TRUSTED_PROXY_ENV } from "./client-addresses.ts";
import { formatNumber, summarize } from "./stats.ts";

const { values } = parseArgs({
  options: {
    people: { type: "string", default: "20" },
    rate: { type: "string", default: "500" },
    seconds: { type: "string", default: "10" },
  },
});
const PEOPLE = Number(values.people);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const PASSWORD = "bench password for push";
/** Sends are made in ticks of this many milliseconds, RATE / (1000 / TICK_MS) each. */
const TICK_MS = 10;
/** After the window, how long the queue may take to hand over what is left. */
const DRAIN_MS = 10_000;

interface Phase {
  latencies: number[];
  sent: number;
  acked: number;
  pushes: number;
  pushSeconds: number[];
}

/** One server, with Web Push on or off, under the same load. */
async function runPhase(isPushOn: boolean, pushService: FakePushService): Promise<Phase> {
  const database = await createTestDatabase(`bench_push_${isPushOn ? "on" : "off"}`);
  const vapid = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" });
  const server = await startServer({
    databaseUrl: database.url,
    env: {
      ADMIN_USERNAME: "alice",
      SOCKET_FRAMES_PER_SECOND: "100000",
      ...TRUSTED_PROXY_ENV,
      PUSH_TEST_SERVICE_ORIGIN: pushService.origin,
      ...(isPushOn ? { VAPID_PRIVATE_KEY: vapid.toString() } : {}),
    },
  });
  try {
    const { alice, sockets } = await prepare(server, pushService, isPushOn);
    const before = pushService.received().length;
    const phase = await load(alice, sockets);
    const deadline = Date.now() + DRAIN_MS;
    while (isPushOn && Date.now() < deadline && pushService.received().length - before < PEOPLE)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const pushes = pushService.received().slice(before);
    const start = pushes[0]?.at ?? 0;
    const perSecond: number[] = [];
    for (const push of pushes) {
      const second = Math.floor((push.at - start) / 1000);
      perSecond[second] = (perSecond[second] ?? 0) + 1;
    }
    for (const socket of sockets) socket.close();
    return { ...phase, pushes: pushes.length, pushSeconds: Array.from(perSecond, (count) => count ?? 0) };
  } finally {
    await server.stop();
    await database.stop();
  }
}

/** alice, PEOPLE people in her community, a DM with each, and their browsers subscribed. */
async function prepare(server: RunningServer, pushService: FakePushService, isPushOn: boolean) {
  const addresses = new ClientAddresses();
  const register = (name: string) =>
    registerOn(server, name, PASSWORD, { forwardedFor: addresses.headersFor("register")["X-Forwarded-For"] });
  const alice = await register("alice");
  const people: Account[] = [];
  for (let index = 0; index < PEOPLE; index++) people.push(await register(`person${index}`));
  await createCommunityWith(server, alice, "Bench Club", people);
  if (isPushOn) {
    const key = await call(server, "/api/push/vapid-public-key");
    pushService.expectVapidKey(key.body.publicKey);
  }
  const sockets: WebSocket[] = [];
  for (const person of people) {
    if (isPushOn) {
      const device = pushService.device(person.username);
      const subscribed = await call(server, "/api/push/subscriptions", {
        token: person.token,
        body: device.subscription,
      });
      if (subscribed.status !== 204)
        throw new Error(`subscribing ${person.username}: ${subscribed.status} ${subscribed.text}`);
    }
    const opened = await call(server, "/api/dms", { token: alice.token, body: { userIds: [person.id] } });
    if (opened.status >= 300) throw new Error(`alice opens a DM: ${opened.status} ${opened.text}`);
    sockets.push((await openChannelSocket(server, alice, opened.body.channel.id)).socket);
  }
  return { alice, sockets };
}

/** RATE messages a second for SECONDS, round-robin over the DMs; each timed from send to ack. */
async function load(alice: Account, sockets: WebSocket[]): Promise<Omit<Phase, "pushes" | "pushSeconds">> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  for (const socket of sockets) {
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data));
      for (const each of frame.type === "frames" ? frame.frames : [frame]) {
        const started = each.type === "ack" ? sentAt.get(each.clientId) : undefined;
        if (started !== undefined) latencies.push(performance.now() - started);
      }
    });
  }
  const perTick = (RATE * TICK_MS) / 1000;
  const payload = Buffer.alloc(200, 7).toString("base64");
  let sent = 0;
  const started = performance.now();
  while (performance.now() - started < SECONDS * 1000) {
    const due = Math.floor(((performance.now() - started) / TICK_MS) * perTick);
    for (; sent < due; sent++) {
      const clientId = `${alice.username}-message-${sent}`;
      sentAt.set(clientId, performance.now());
      sockets[sent % sockets.length]!.send(JSON.stringify({ type: "send", clientId, payload }));
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  const deadline = Date.now() + 10_000;
  while (latencies.length < sent && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return { latencies, sent, acked: latencies.length };
}

function describe(name: string, phase: Phase): string {
  const summary = summarize(phase.latencies);
  return (
    `${name}: ${phase.sent} messages sent (${phase.acked} acknowledged) in ${SECONDS} s; send to ack ` +
    `p50 ${formatNumber(summary.p50)} ms, p95 ${formatNumber(summary.p95)} ms, p99 ${formatNumber(summary.p99)} ms, ` +
    `max ${formatNumber(summary.max)} ms`
  );
}

const pushService = await startPushService();
try {
  console.log(`alice DMs ${PEOPLE} people at ${RATE} msgs/s for ${SECONDS} s, nobody's tab open`);
  // Off first: a machine that gets busier as the run goes on then counts against pushes, not for them.
  const off = await runPhase(false, pushService);
  const loadOff = loadavg()[0]!;
  const on = await runPhase(true, pushService);
  const loadOn = loadavg()[0]!;
  console.log(`${describe("pushes off", off)} (load average ${formatNumber(loadOff)})`);
  console.log(`${describe("pushes on ", on)} (load average ${formatNumber(loadOn)})`);
  const busiest = Math.max(0, ...on.pushSeconds);
  const seconds = on.pushSeconds.length;
  console.log(
    `pushes: ${on.pushes} delivered to the push service, ${formatNumber(on.pushes / Math.max(1, seconds))}/s on ` +
      `average over ${seconds} s (busiest second ${busiest}); rejected by its checks: ${pushService.rejected.length}`,
  );
  const added = summarize(on.latencies).p50 - summarize(off.latencies).p50;
  console.log(`added send latency with pushes on (p50): ${formatNumber(added)} ms`);
  if (pushService.rejected.length > 0) process.exitCode = 1;
} finally {
  await pushService.stop();
}
