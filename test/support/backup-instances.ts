/**
 * Native instances for the backup tests: a fresh database with its own upload and room
 * directories, a server started on them the production way, and scripts/backup.sh and
 * scripts/restore.sh run against them with the environment scripts/serve.sh reads.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "./database.ts";
import { root, startServer, type RunningServer } from "./server.ts";

export const run = promisify(execFile);
export const journal = JSON.parse(readFileSync(join(root, "db", "migrations", "meta", "_journal.json"), "utf8"));
export const temporary = (name: string) => mkdtempSync(join(tmpdir(), `chatalot-backup-${name}-`));

/** An instance: its database, directories and (while it runs) server. */
export interface Instance {
  database: TestDatabase;
  uploads: string;
  rooms: string;
  server?: RunningServer;
}

const instances: Instance[] = [];

export async function newInstance(name: string): Promise<Instance> {
  const instance = {
    database: await createTestDatabase(name),
    uploads: temporary("uploads"),
    rooms: temporary("rooms"),
  };
  instances.push(instance);
  return instance;
}

/** Stops every instance's server and drops its database (for afterAll). */
export async function removeInstances(): Promise<void> {
  for (const instance of instances.splice(0)) {
    await instance.server?.stop();
    await instance.database.stop();
  }
}

export const start = async (instance: Instance) =>
  (instance.server = await startServer({
    databaseUrl: instance.database.url,
    env: { UPLOAD_DIR: instance.uploads, ROOM_STORAGE_DIR: instance.rooms },
  }));

const envOf = (instance: Instance) => ({
  ...process.env,
  DATABASE_URL: instance.database.url,
  UPLOAD_DIR: instance.uploads,
  ROOM_STORAGE_DIR: instance.rooms,
});

/** scripts/backup.sh --native into `out`; resolves with the archive's path (its last line). */
export const backUp = async (instance: Instance, out: string, ...flags: string[]) =>
  (await run(join(root, "scripts", "backup.sh"), ["--native", "--out", out, ...flags], { env: envOf(instance) })).stdout
    .trim()
    .split("\n")
    .at(-1)!;

export const restore = (archive: string, instance: Instance, ...flags: string[]) =>
  run(join(root, "scripts", "restore.sh"), [archive, "--native", ...flags], { env: envOf(instance) });

export async function sql<T = any>(instance: Instance, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: instance.database.url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}
