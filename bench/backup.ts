/**
 * Backup and restore of a big instance: `--messages` messages (one channel, filled in
 * SQL as the history bench does) on a running server, backed up natively by
 * scripts/backup.sh and restored by scripts/restore.sh into a fresh database; prints the
 * time of each, the archive's size and its parts, and checks the copy holds every message.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx node bench/backup.ts [--messages 1000000]
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { call, registerOn } from "../test/support/accounts.ts";
import { root, startServer } from "../test/support/server.ts";
import { countStoredMessages, createBenchDatabase, describeDatabase } from "./bench-database.ts";
import { cleanup, cleanUpOnAbnormalExit } from "./cleanup.ts";
import { fillChannel } from "./history-fill.ts";
import { formatNumber } from "./stats.ts";

const run = promisify(execFile);
const { values } = parseArgs({ options: { messages: { type: "string", default: "1000000" } } });
const MESSAGES = Number(values.messages);
if (!Number.isInteger(MESSAGES) || MESSAGES < 1) throw new Error("--messages takes a positive whole number");

const temporary = (name: string) => mkdtempSync(join(tmpdir(), `chatalot-bench-backup-${name}-`));
const mib = (bytes: number) => `${formatNumber(bytes / 1024 / 1024)} MiB`;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000 };
}

cleanUpOnAbnormalExit();
const source = await createBenchDatabase("bench_backup_source");
const target = await createBenchDatabase("bench_backup_target");
const directories = {
  uploads: temporary("uploads"),
  rooms: temporary("rooms"),
  out: temporary("archives"),
  restoredUploads: temporary("restored-uploads"),
  restoredRooms: temporary("restored-rooms"),
};
const server = await startServer({
  databaseUrl: source.url,
  env: { UPLOAD_DIR: directories.uploads, ROOM_STORAGE_DIR: directories.rooms },
});
try {
  console.log(`database: ${await describeDatabase(source)}`);
  const admin = await registerOn(server, "admin", "bench password for backups");
  const { community } = (await call(server, "/api/communities", { token: admin.token, body: { name: "Big" } })).body;
  const channels = await call(server, `/api/communities/${community.id}/channels`, { token: admin.token });
  const channelId = channels.body.channels[0].id as string;
  const fill = await timed(() => fillChannel(source, { channelId, senderId: admin.id, rows: MESSAGES }));
  console.log(`filled ${formatNumber(MESSAGES)} messages in SQL in ${formatNumber(fill.seconds)} s`);

  const environment = (url: string, rooms: string, uploads: string) => ({
    ...process.env,
    DATABASE_URL: url,
    ROOM_STORAGE_DIR: rooms,
    UPLOAD_DIR: uploads,
  });
  const backup = await timed(() =>
    run(join(root, "scripts", "backup.sh"), ["--native", "--out", directories.out], {
      env: environment(source.url, directories.rooms, directories.uploads),
    }),
  );
  const archive = backup.value.stdout.trim().split("\n").at(-1)!;
  const parts = await run("tar", ["-tvf", archive]);
  console.log(`backup.sh (server running): ${formatNumber(backup.seconds)} s; archive ${mib(statSync(archive).size)}`);
  for (const line of parts.stdout.trim().split("\n")) {
    const fields = line.split(/\s+/);
    console.log(`  ${fields.at(-1)}: ${mib(Number(fields[2]))}`);
  }

  const restore = await timed(() =>
    run(join(root, "scripts", "restore.sh"), [archive, "--native"], {
      env: environment(target.url, directories.restoredRooms, directories.restoredUploads),
    }),
  );
  const restored = await countStoredMessages(target);
  console.log(
    `restore.sh into a fresh database: ${formatNumber(restore.seconds)} s; ` +
      `messages in the copy ${formatNumber(restored)} of ${formatNumber(await countStoredMessages(source))}`,
  );
  if (restored !== (await countStoredMessages(source))) process.exitCode = 1;
} finally {
  await server.stop();
  await cleanup(); // drops both databases
  for (const directory of Object.values(directories)) rmSync(directory, { recursive: true, force: true });
}
