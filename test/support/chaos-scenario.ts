/**
 * The chaos scenario: clients send continuously into several channels while their
 * sockets are cut at random, the server process is killed with SIGKILL and started
 * again, and PostgreSQL is stopped abruptly and started again. Afterwards every
 * acknowledged message must exist exactly once in PostgreSQL, with gap-free seqs, and
 * every client must hold exactly its channel's stored messages, in seq order.
 * Used by test/node/chaos.test.ts (bounded) and test/chaos.ts (as long as you like).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startPostgresInstance } from "./postgres-instance.ts";
import { ResilientClient } from "./resilient-client.ts";
import { startServer, type RunningServer } from "./server.ts";
import { testKeys } from "./keys.ts";

export interface ChaosOptions {
  seconds: number;
  channels: number;
  clientsPerChannel: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  acknowledged: number;
  stored: number;
  cuts: number;
  serverKills: number;
  databaseRestarts: number;
  reconnects: number;
  /** Each problem found; empty when every guarantee held. */
  problems: string[];
}

const PASSWORD = "chaos monkey password";
const SEND_INTERVAL_MS = 40;
const IN_FLIGHT_MAX = 3;

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => {});
  const postgres = await startPostgresInstance();
  const work = mkdtempSync(join(tmpdir(), "chatalot-chaos-"));
  const keys = testKeys();
  writeFileSync(join(work, "jwt_private.pem"), keys.privateKey, { mode: 0o600 });
  writeFileSync(join(work, "jwt_public.pem"), keys.publicKey);
  const env = {
    JWT_PRIVATE_KEY_FILE: join(work, "jwt_private.pem"),
    JWT_PUBLIC_KEY_FILES: join(work, "jwt_public.pem"),
    // The same room storage across restarts, as the Docker volume gives production.
    ROOM_STORAGE_DIR: join(work, "rooms"),
    UPLOAD_DIR: join(work, "uploads"),
    // Each simulated client comes from its own address, so per-address limits apply per client.
    TRUSTED_PROXIES: "127.0.0.1",
    SOCKET_FRAMES_PER_SECOND: "1000",
  };
  let server: RunningServer = await startServer({ databaseUrl: postgres.url, env });
  const clients: ResilientClient[] = [];
  const report: ChaosReport = {
    acknowledged: 0,
    stored: 0,
    cuts: 0,
    serverKills: 0,
    databaseRestarts: 0,
    reconnects: 0,
    problems: [],
  };
  try {
    const channelIds = await prepare(server, options);
    let index = 0;
    for (const channelId of channelIds) {
      for (let member = 0; member < options.clientsPerChannel; member++, index++) {
        const account = await accountFor(server, index);
        clients.push(
          new ResilientClient({
            name: `c${index}`,
            channelId,
            token: account,
            baseUrl: () => server.url,
            forwardedFor: addressOf(index),
          }),
        );
      }
    }
    clients.forEach((client) => client.start());
    let sent = 0;
    const sender = setInterval(() => {
      for (const client of clients) {
        if (client.pending.size < IN_FLIGHT_MAX) client.send(`message ${++sent} from ${client.options.name}`);
      }
    }, SEND_INTERVAL_MS);

    const started = Date.now();
    const end = started + options.seconds * 1000;
    let hasKilledServer = false;
    let hasRestartedDatabase = false;
    while (Date.now() < end) {
      await pause(300 + Math.random() * 700);
      const victim = clients[Math.floor(Math.random() * clients.length)]!;
      victim.cut();
      report.cuts++;
      const elapsed = (Date.now() - started) / (options.seconds * 1000);
      if (!hasKilledServer && elapsed > 0.3) {
        hasKilledServer = true;
        log("chaos: SIGKILL the server process group");
        process.kill(-server.process.pid!, "SIGKILL");
        await server.exited;
        report.serverKills++;
        server = await startServer({ databaseUrl: postgres.url, env });
        log(`chaos: server back on ${server.url}`);
      }
      if (!hasRestartedDatabase && elapsed > 0.6) {
        hasRestartedDatabase = true;
        log("chaos: PostgreSQL stopped (immediate) and started again");
        await postgres.restart();
        report.databaseRestarts++;
      }
    }
    clearInterval(sender);
    log("chaos: sending stopped; waiting for every send to be acknowledged and every client to catch up");
    await Promise.all(clients.map((client) => client.settle(60_000)));
    await Promise.all(clients.map((client) => client.resync(30_000)));
    report.reconnects = clients.reduce((total, client) => total + client.connects - 1, 0);
    await verify(postgres.url, clients, channelIds, report);
  } finally {
    clients.forEach((client) => client.stop());
    await server.stop();
    await postgres.stop();
  }
  return report;
}

const addressOf = (index: number) => `10.${Math.floor(index / 250)}.${index % 250}.1`;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(server: RunningServer, path: string, body: unknown, token?: string, from?: string) {
  const response = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(from ? { "X-Forwarded-For": from } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, any>;
}

let adminToken = "";
let inviteCode = "";

async function prepare(server: RunningServer, options: ChaosOptions): Promise<string[]> {
  const admin = await call(
    server,
    "/api/auth/register",
    { username: "admin", password: PASSWORD },
    undefined,
    "10.255.0.1",
  );
  adminToken = admin.accessToken;
  const { community } = await call(server, "/api/communities", { name: "Chaos" }, adminToken);
  inviteCode = (await call(server, `/api/communities/${community.id}/invites`, {}, adminToken)).code;
  const ids: string[] = [];
  for (let index = 0; index < options.channels; index++) {
    ids.push(
      (await call(server, `/api/communities/${community.id}/channels`, { name: `chaos-${index}` }, adminToken)).channel
        .id,
    );
  }
  return ids;
}

async function accountFor(server: RunningServer, index: number): Promise<string> {
  const from = addressOf(index);
  const person = await call(
    server,
    "/api/auth/register",
    { username: `client${index}`, password: PASSWORD },
    undefined,
    from,
  );
  await call(server, "/api/community-invites/accept", { code: inviteCode }, person.accessToken, from);
  return person.accessToken;
}

async function verify(url: string, clients: ResilientClient[], channelIds: string[], report: ChaosReport) {
  const database = new pg.Client({ connectionString: url });
  await database.connect();
  try {
    const acked = new Map<string, string>();
    for (const client of clients)
      for (const [clientId, message] of client.acked) acked.set(clientId, message.channelId);
    report.acknowledged = acked.size;
    for (const channelId of channelIds) {
      const { rows } = await database.query<{ seq: string; client_id: string; payload: Buffer }>(
        "select seq, client_id, payload from messages where channel_id = $1 order by seq",
        [channelId],
      );
      report.stored += rows.length;
      rows.forEach((row, index) => {
        if (Number(row.seq) !== index + 1)
          report.problems.push(`channel ${channelId}: seq ${row.seq} at position ${index + 1}`);
        if (!acked.has(row.client_id)) report.problems.push(`stored but never acknowledged: ${row.client_id}`);
      });
      const storedIds = new Set(rows.map((row) => row.client_id));
      for (const [clientId, channel] of acked) {
        if (channel === channelId && !storedIds.has(clientId))
          report.problems.push(`acknowledged but not stored: ${clientId}`);
      }
      for (const client of clients.filter((candidate) => candidate.options.channelId === channelId)) {
        const held = [...client.received.keys()].sort((a, b) => a - b);
        if (held.length !== rows.length || held.some((seq, index) => seq !== index + 1)) {
          report.problems.push(`${client.options.name} holds ${held.length} messages of ${rows.length}`);
          continue;
        }
        rows.forEach((row, index) => {
          const view = client.received.get(index + 1)!;
          if (view.clientId !== row.client_id || Buffer.from(view.payload, "base64").compare(row.payload) !== 0)
            report.problems.push(`${client.options.name}: message ${index + 1} differs from the stored one`);
        });
      }
    }
    const duplicates = await database.query(
      "select sender_id, client_id, count(*) from messages group by sender_id, client_id having count(*) > 1",
    );
    for (const row of duplicates.rows) report.problems.push(`stored twice: ${row.client_id}`);
  } finally {
    await database.end();
  }
}
