/**
 * Test databases. With DATABASE_URL set (CI, or a developer's PostgreSQL), each
 * call creates a fresh database on that server; without it, an embedded
 * PostgreSQL (PGlite over the wire protocol) is started, so `npm test` needs
 * nothing but Node.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface TestDatabase {
  url: string;
  /** Whether this is embedded PGlite, which serves one query at a time. */
  isEmbedded: boolean;
  stop(): Promise<void>;
}

const root = join(import.meta.dirname, "..", "..");

export async function createTestDatabase(name: string): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return startPglite();
  const database = `${name}_${process.pid}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  const admin = new pg.Client({ connectionString: serverUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `DATABASE_URL is set but PostgreSQL at it is unreachable (${(error as Error).message}). ` +
        "Start PostgreSQL, or unset DATABASE_URL to test against the embedded database.",
    );
  }
  await admin.query(`create database "${database}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    isEmbedded: false,
    async stop() {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists "${database}" with (force)`);
      await cleanup.end();
    },
  };
}

/** Starts pglite-server; the same `dataDir` and `port` bring the same database back after a stop. */
export async function startPglite(
  dataDir = mkdtempSync(join(tmpdir(), "chatalot-pglite-")),
  requestedPort?: number,
): Promise<TestDatabase & { process: ChildProcess; dataDir: string; port: number }> {
  const port = requestedPort ?? (await freePort());
  const child = spawn(
    join(root, "node_modules", ".bin", "node"),
    [join(root, "node_modules", ".bin", "pglite-server"), `--db=${dataDir}`, `--port=${port}`, "--max-connections=8"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pglite-server exited: ${output}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query("select 1");
      await client.end();
      break;
    } catch {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`pglite-server did not start within 60 s: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return {
    url,
    isEmbedded: true,
    process: child,
    dataDir,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
