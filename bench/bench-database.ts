/**
 * The database of one scenario: a fresh one on the PostgreSQL server named by
 * DATABASE_URL (dropped when the scenario ends, also on Ctrl-C), or embedded PGlite
 * without it. Plus the few direct queries the bench makes: counting stored rows
 * and finding the backends to attribute CPU to.
 */
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../test/support/database.ts";
import { onCleanup } from "./cleanup.ts";

export async function createBenchDatabase(name: string): Promise<TestDatabase> {
  const database = await createTestDatabase(name);
  onCleanup("drop the bench database", () => stopDatabase(database));
  return database;
}

export async function describeDatabase(database: TestDatabase): Promise<string> {
  const version = await withClient(database, async (client) => {
    return (await client.query("show server_version")).rows[0].server_version as string;
  });
  const where = new URL(database.url);
  return database.isEmbedded
    ? `embedded PGlite (pglite-server, PostgreSQL ${version}) at ${where.host}: ` +
        "not representative of production; set DATABASE_URL"
    : `PostgreSQL server ${version} at ${where.host}, fresh database ${where.pathname.slice(1)} (dropped at exit)`;
}

export function countStoredMessages(database: TestDatabase): Promise<number> {
  return withClient(database, async (client) => {
    return Number((await client.query("select count(*) as count from messages")).rows[0].count);
  });
}

export async function withClient<T>(database: TestDatabase, work: (client: pg.Client) => Promise<T>): Promise<T> {
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
export async function databasePids(database: TestDatabase): Promise<number[]> {
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
