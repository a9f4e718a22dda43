/**
 * Chatalot's load bench (`npm run bench`): starts the production server (scripts/serve.sh
 * + workerd) on a fresh database, measures send->ack latency, fan-out at a fixed rate
 * and maximum throughput, runs the same load against a plain `ws` broadcast server for
 * reference, and prints the figures. It reports; it never fails on a threshold. See
 * bench/README.md.
 */
import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../test/support/database.ts";
import { root, startServer } from "../test/support/server.ts";
import { prepareChatalot } from "./chatalot-target.ts";
import { cleanUpOnAbnormalExit, cleanup, onCleanup } from "./cleanup.ts";
import type { CpuGroup } from "./cpu-usage.ts";
import { FlagError, readFlags, USAGE, type BenchOptions } from "./flags.ts";
import { measureFanOut, measureLatency, measureMaxThroughput, type Measurement } from "./measure.ts";
import { startReference } from "./reference-target.ts";
import { commandLine, machineLine, printRatios, printResults, type ScenarioResult } from "./report.ts";
import type { Target } from "./target.ts";

async function main(options: BenchOptions): Promise<void> {
  console.log("Chatalot bench");
  console.log(`command:  ${commandLine()}`);
  console.log(`machine:  ${machineLine()}`);
  if (!existsSync(join(root, "dist", "worker", "index.js"))) {
    throw new Error("the server is not built: run `npm run build:server` first");
  }

  const database = await createTestDatabase("bench");
  onCleanup("drop the bench database", () => stopDatabase(database));
  const saveServerLog = (output: string) => {
    const path = join(tmpdir(), `chatalot-bench-server-${process.pid}.log`);
    writeFileSync(path, output);
    const problems = output.split("\n").filter((line) => /error|exception|warn|uncaught/i.test(line));
    console.log(`server log: ${path} (${problems.length} error/warning lines)`);
    for (const line of problems.slice(0, 10)) console.log(`  ${line.slice(0, 300)}`);
  };
  console.log(`database: ${await describeDatabase(database)}`);
  const server = await startServer({
    databaseUrl: database.url,
    // The per-connection frame limit (10/s by default) would throttle the load generator's
    // deliberately fast senders; the bench measures the server, so it lifts it.
    env: { DATABASE_POOL_SIZE: String(options.poolSize), SOCKET_FRAMES_PER_SECOND: "100000" },
  });
  // Cleanup runs last-registered first: stop the server, then save its complete log.
  onCleanup("save the server log", async () => saveServerLog(server.output()));
  onCleanup("stop the server", () => server.stop());
  console.log(`server:   scripts/serve.sh + workerd at ${server.url}, DATABASE_POOL_SIZE=${options.poolSize}`);
  console.log(
    `load:     ${options.channels} channels x ${options.members} members (${options.senders} senders each), ` +
      `${options.payloadBytes}-byte payloads; latency ${options.latencyMessages} messages; fan-out ${options.rate} msg/s ` +
      `for ${options.seconds} s; max throughput window ${options.window} per sender for ${options.seconds} s`,
  );

  const registering = performance.now();
  const chatalot = await prepareChatalot(server.url, options);
  const setupSeconds = ((performance.now() - registering) / 1000).toFixed(1);
  const shortfall =
    chatalot.accounts < options.users ? ` (of ${options.users} asked: registration is rate limited)` : "";
  console.log(
    `setup:    registered ${chatalot.accounts} users${shortfall} in ${setupSeconds} s; sockets share them round-robin`,
  );
  const reference = await startReference(options.channels);
  onCleanup("stop the reference server", () => reference.stop());

  const postgres: CpuGroup = { name: "postgres", rootPids: [] };
  const cpuGroups: CpuGroup[] = [
    { name: "server", rootPids: [server.process.pid!] },
    { name: "reference", rootPids: [reference.process.pid!] },
    postgres,
    { name: "load gen", rootPids: [process.pid] },
  ];
  const refreshCpuGroups = async () => {
    postgres.rootPids = await databasePids(database);
  };
  const run: Measurement = { options, cpuGroups, refreshCpuGroups, totalAcked: 0 };
  const results: ScenarioResult[] = [];
  for (const measure of [measureLatency, measureFanOut, measureMaxThroughput]) {
    for (const target of [chatalot, reference.target] satisfies Target[]) {
      results.push(await measure(target, run));
    }
  }

  printResults(
    results,
    cpuGroups.map((group) => group.name),
  );
  printRatios(results);
  const stored = await countStoredMessages(database);
  console.log(
    `\nstored:   ${stored} message rows in PostgreSQL; Chatalot acked ${run.totalAcked} (warm-ups included)` +
      (stored === run.totalAcked ? ": every ack is a stored row" : ": MISMATCH"),
  );
}

async function describeDatabase(database: TestDatabase): Promise<string> {
  const version = await withClient(database, async (client) => {
    return (await client.query("show server_version")).rows[0].server_version as string;
  });
  const where = new URL(database.url);
  return database.isEmbedded
    ? `embedded PGlite (pglite-server, PostgreSQL ${version}) at ${where.host}: ` +
        "not representative of production; set DATABASE_URL"
    : `PostgreSQL server ${version} at ${where.host}, fresh database ${where.pathname.slice(1)} (dropped at exit)`;
}

function countStoredMessages(database: TestDatabase): Promise<number> {
  return withClient(database, async (client) => {
    return Number((await client.query("select count(*) as count from messages")).rows[0].count);
  });
}

async function withClient<T>(database: TestDatabase, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Embedded PGlite is one Node process of ours. On a PostgreSQL server, the backends
 * connected to the bench database: other databases' work (and the server's background
 * writers) shows only in the machine column.
 */
async function databasePids(database: TestDatabase): Promise<number[]> {
  const child = (database as { process?: { pid?: number } }).process;
  if (child?.pid) return [child.pid];
  return withClient(database, async (client) => {
    const { rows } = await client.query(
      "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
    );
    return rows.map((row: { pid: number }) => row.pid);
  });
}

/** PGlite's stop() waits for an exit that never comes if Ctrl-C already killed it. */
function stopDatabase(database: TestDatabase): Promise<void> {
  const child = (database as { process?: { exitCode: number | null; signalCode: string | null } }).process;
  if (child && (child.exitCode !== null || child.signalCode !== null)) return Promise.resolve();
  return database.stop();
}

cleanUpOnAbnormalExit();
try {
  await main(readFlags(process.argv.slice(2)));
} catch (error) {
  if (error instanceof FlagError) console.error(`${error.message}\n${USAGE}`);
  else console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
