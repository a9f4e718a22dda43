/**
 * One server of the Web Push bench (bench/push.ts), with Web Push on or off: alice,
 * `people` people in her community, a DM with each, their browsers subscribed to the
 * fake push service, and alice's socket on each DM. `measureWindow` loads it for one
 * window and drains it: every send acknowledged (or refused, with the reason), and with
 * pushes on, every DM's last message pushed.
 */
import { generateKeyPairSync } from "node:crypto";
import type WebSocket from "ws";
import { call, createCommunityWith, openChannelSocket, registerOn, type Account } from "../test/support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../test/support/database.ts";
import { startServer, type RunningServer } from "../test/support/server.ts";
import { ClientAddresses, TRUSTED_PROXY_ENV } from "./client-addresses.ts";
import { cpuPercent, sampleCpu } from "./cpu-usage.ts";
import type { ThreadedPushService } from "./push-service-thread.ts";

const PASSWORD = "bench password for push";
/** Sends are made in ticks of this many milliseconds. */
const TICK_MS = 10;
/** After the window, how long acks and pushes may take to arrive. */
const DRAIN_MS = 15_000;

export interface PushTarget {
  isPushOn: boolean;
  server: RunningServer;
  database: TestDatabase;
  alice: Account;
  /** alice's socket on each DM, and the device of the person at its other end. */
  dms: { socket: WebSocket; deviceId: string | null }[];
}

export interface WindowResult {
  latencies: number[];
  sent: number;
  acked: number;
  /** Error frames answering sends, by code. */
  refused: Map<string, number>;
  /** Pushes that arrived from the window's start until the drain ended, and when. */
  pushTimes: number[];
  /** DMs whose last message of the window no push named (pushes on only). */
  unpushed: number;
  /** The server's processes (workerd and its password hasher), percent of one core. */
  serverCpu: number;
  machineCpu: number;
}

export async function startTarget(isPushOn: boolean, people: number, pushService: ThreadedPushService) {
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
  const addresses = new ClientAddresses();
  const register = (name: string) =>
    registerOn(server, name, PASSWORD, { forwardedFor: addresses.headersFor("register")["X-Forwarded-For"] });
  const alice = await register("alice");
  const persons: Account[] = [];
  for (let index = 0; index < people; index++) persons.push(await register(`person${index}`));
  await createCommunityWith(server, alice, "Bench Club", persons);
  if (isPushOn) await pushService.expectVapidKey((await call(server, "/api/push/vapid-public-key")).body.publicKey);
  const dms: PushTarget["dms"] = [];
  for (const person of persons) {
    let deviceId: string | null = null;
    if (isPushOn) {
      const device = await pushService.device(person.username);
      const subscribed = await call(server, "/api/push/subscriptions", {
        token: person.token,
        body: device.subscription,
      });
      if (subscribed.status !== 204) throw new Error(`subscribing ${person.username}: ${subscribed.status}`);
      deviceId = device.id;
    }
    const opened = await call(server, "/api/dms", { token: alice.token, body: { userIds: [person.id] } });
    if (opened.status >= 300) throw new Error(`alice opens a DM: ${opened.status} ${opened.text}`);
    dms.push({ socket: (await openChannelSocket(server, alice, opened.body.channel.id)).socket, deviceId });
  }
  return { isPushOn, server, database, alice, dms } satisfies PushTarget;
}

/** `rate` messages a second for `seconds`, round-robin over the DMs, each timed from send to ack; then the drain. */
export async function measureWindow(
  target: PushTarget,
  pushService: ThreadedPushService,
  options: { rate: number; seconds: number; round: number },
): Promise<WindowResult> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const refused = new Map<string, number>();
  /** The seq of the last message acked on each DM. */
  const lastSeq = target.dms.map(() => 0);
  const listeners = target.dms.map(({ socket }, index) => {
    const listener = (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data));
      for (const each of frame.type === "frames" ? frame.frames : [frame]) {
        const started = sentAt.get(each.clientId);
        if (started === undefined) continue;
        sentAt.delete(each.clientId);
        if (each.type === "ack") {
          latencies.push(performance.now() - started);
          lastSeq[index] = Math.max(lastSeq[index]!, each.message.seq);
        } else if (each.type === "error") refused.set(each.code, (refused.get(each.code) ?? 0) + 1);
      }
    };
    socket.on("message", listener);
    return listener;
  });
  const pushesBefore = pushService.received().length;
  const cpuBefore = sampleCpu([{ name: "server", rootPids: [target.server.process.pid!] }]);
  const perTick = (options.rate * TICK_MS) / 1000;
  const payload = Buffer.alloc(200, 7).toString("base64");
  let sent = 0;
  const started = performance.now();
  while (performance.now() - started < options.seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / TICK_MS) * perTick);
    for (; sent < due; sent++) {
      const clientId = `round${options.round}-${sent}`;
      sentAt.set(clientId, performance.now());
      target.dms[sent % target.dms.length]!.socket.send(JSON.stringify({ type: "send", clientId, payload }));
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  const cpu = cpuPercent(cpuBefore, sampleCpu([{ name: "server", rootPids: [target.server.process.pid!] }]));
  const deadline = Date.now() + DRAIN_MS;
  while (sentAt.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const unpushedNow = () =>
    target.dms.filter(
      ({ deviceId }, index) => !pushService.received(deviceId!).some((push) => push.seq >= lastSeq[index]!),
    ).length;
  while (target.isPushOn && unpushedNow() > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  target.dms.forEach(({ socket }, index) => socket.off("message", listeners[index]!));
  return {
    latencies,
    sent,
    acked: latencies.length,
    refused,
    pushTimes: pushService
      .received()
      .slice(pushesBefore)
      .map((push) => push.at),
    unpushed: target.isPushOn ? unpushedNow() : 0,
    serverCpu: cpu.get("server") ?? NaN,
    machineCpu: cpu.get("machine") ?? NaN,
  };
}

export async function stopTarget(target: PushTarget): Promise<void> {
  for (const { socket } of target.dms) socket.close();
  await target.server.stop();
  await target.database.stop();
}
