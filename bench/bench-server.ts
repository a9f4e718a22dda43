/**
 * The production server for one scenario: scripts/serve.sh + workerd (through
 * test/support/server.ts) on a fresh database, with the settings a load needs,
 * stopped and its log saved when the scenario ends. `restart()` stops it and starts
 * a new one on the same database, room storage and signing keys, as an operator's
 * restart would.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestDatabase } from "../test/support/database.ts";
import { testKeys } from "../test/support/keys.ts";
import { startServer, type RunningServer } from "../test/support/server.ts";
import { createBenchDatabase, databasePids, describeDatabase } from "./bench-database.ts";
import { onCleanup } from "./cleanup.ts";
import { TRUSTED_PROXY_ENV } from "./client-addresses.ts";
import type { CpuGroup } from "./cpu-usage.ts";
import { STOP_GRACE_MS, stopServerForGood } from "./process-group.ts";

const LOG_PROBLEMS_SHOWN = 10;

export interface BenchServer {
  database: TestDatabase;
  /** The running server (a new one after restart()). */
  server: RunningServer;
  /** server, postgres, load gen; a scenario may add its own. */
  cpuGroups: CpuGroup[];
  /** Brings group pids up to date (the database's backends, a restarted server) before a window. */
  refreshCpuGroups(): Promise<void>;
  /**
   * Stops the server (SIGTERM; SIGKILL for what outlives STOP_GRACE_MS) and starts a new
   * one on the same state; returns how long each took and how many processes were killed.
   */
  restart(): Promise<{ stopSeconds: number; startSeconds: number; killed: number }>;
}

export async function startBenchServer(
  scenario: string,
  options: { poolSize: number; env?: Record<string, string> },
): Promise<BenchServer> {
  const database = await createBenchDatabase(`bench_${scenario.replace(/\W/g, "_")}`);
  console.log(`database: ${await describeDatabase(database)}`);
  const state = mkdtempSync(join(tmpdir(), "chatalot-bench-state-"));
  onCleanup("remove the room storage and keys", async () => rmSync(state, { recursive: true, force: true }));
  const keys = testKeys();
  writeFileSync(join(state, "jwt_private.pem"), keys.privateKey, { mode: 0o600 });
  writeFileSync(join(state, "jwt_public.pem"), keys.publicKey);
  const env = {
    DATABASE_POOL_SIZE: String(options.poolSize),
    // The per-connection frame limit (10/s by default) would throttle the load generator's
    // deliberately fast senders; the bench measures the server, so it lifts it.
    SOCKET_FRAMES_PER_SECOND: "100000",
    // Likewise the per-person history limit: the history scenario reads as one person.
    HISTORY_PAGES_PER_MINUTE: "10000000",
    ...TRUSTED_PROXY_ENV,
    // Fixed across a restart: rooms keep their storage, and access tokens stay valid.
    ROOM_STORAGE_DIR: join(state, "rooms"),
    JWT_PRIVATE_KEY_FILE: join(state, "jwt_private.pem"),
    JWT_PUBLIC_KEY_FILES: join(state, "jwt_public.pem"),
    // A scenario's own settings (bench/files.ts: larger files, its own upload directory).
    ...options.env,
  };
  const logs: string[] = [];
  const start = () => startServer({ databaseUrl: database.url, env });
  const running = await start();
  const stopAndKeepLog = async (server: RunningServer) => {
    const killed = await stopServerForGood(server);
    logs.push(server.output());
    if (killed > 0)
      logs.push(`(bench: killed ${killed} process(es) still running ${STOP_GRACE_MS / 1000} s after SIGTERM)\n`);
    return killed;
  };
  const serverGroup: CpuGroup = { name: "server", rootPids: [running.process.pid!] };
  const postgres: CpuGroup = { name: "postgres", rootPids: [] };
  const bench: BenchServer = {
    database,
    server: running,
    cpuGroups: [serverGroup, postgres, { name: "load gen", rootPids: [process.pid] }],
    async refreshCpuGroups() {
      serverGroup.rootPids = [bench.server.process.pid!];
      postgres.rootPids = await databasePids(database);
    },
    async restart() {
      const stopping = performance.now();
      const killed = await stopAndKeepLog(bench.server);
      const starting = performance.now();
      bench.server = await start();
      const ready = performance.now();
      return { stopSeconds: (starting - stopping) / 1000, startSeconds: (ready - starting) / 1000, killed };
    },
  };
  // Cleanup runs last-registered first: stop the server, then save its complete log.
  onCleanup("save the server log", async () => saveServerLog(scenario, logs.join("")));
  onCleanup("stop the server", async () => void (await stopAndKeepLog(bench.server)));
  console.log(`server:   scripts/serve.sh + workerd at ${running.url}, DATABASE_POOL_SIZE=${options.poolSize}`);
  return bench;
}

function saveServerLog(scenario: string, output: string): void {
  const path = join(tmpdir(), `chatalot-bench-${scenario}-${process.pid}.log`);
  writeFileSync(path, output);
  const problems = output.split("\n").filter((line) => /error|exception|warn|uncaught/i.test(line));
  console.log(`server log: ${path} (${problems.length} error/warning lines)`);
  for (const line of problems.slice(0, LOG_PROBLEMS_SHOWN)) console.log(`  ${line.slice(0, 300)}`);
}
