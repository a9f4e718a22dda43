/**
 * What scripts/backup.sh and scripts/restore.sh refuse, and what they keep: a damaged
 * archive, a populated target without --force, another app's database, a room directory
 * that is not room storage and an archive of a newer schema are refused with nothing
 * changed; archives are private (0600, in a 0700 directory); an older schema's archive is restored and migrated
 * forward by the server's start-up; retention keeps the newest N; a backup that fails
 * part-way leaves no archive. The full restore journey is test/node/backup-restore.test.ts.
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generalChannel, openChannelSocket, registerOn } from "../support/accounts.ts";
import {
  backUp,
  journal,
  newInstance,
  removeInstances,
  restore,
  run,
  sql,
  start,
  temporary,
  type Instance,
} from "../support/backup-instances.ts";
import { root } from "../support/server.ts";

/** An instance with two accounts and a message, and its archive, taken while it runs. */
let copy: Instance;
let archive = "";

beforeAll(async () => {
  copy = await newInstance("backup_refusals");
  const server = await start(copy);
  const admin = await registerOn(server, "admin", "a long enough password");
  await registerOn(server, "bob", "a long enough password");
  const { socket } = await openChannelSocket(server, admin, await generalChannel(server, admin));
  const acked = new Promise((resolve) =>
    socket.on("message", (data) => String(data).includes('"ack"') && resolve(data)),
  );
  socket.send(JSON.stringify({ type: "send", clientId: "refusals-1", payload: "aGVsbG8=" }));
  await acked;
  socket.close();
  archive = await backUp(copy, temporary("archives"));
  await server.stop();
}, 60_000);

afterAll(removeInstances);

describe("what the backup scripts refuse", () => {
  it("refuses a damaged archive, a populated database and a newer schema, changing nothing", async () => {
    const messages = async (instance: Instance) =>
      (await sql(instance, "select count(*)::int as n from messages"))[0].n;
    const before = await messages(copy);

    // A populated database: refused without --force.
    await expect(restore(archive, copy)).rejects.toThrow(/already holds 2 account\(s\).*--force/s);
    expect(await messages(copy)).toBe(before);

    // One flipped byte in the dump.
    const unpacked = temporary("damaged");
    await run("tar", ["-C", unpacked, "-xf", archive]);
    const dump = readFileSync(join(unpacked, "database.dump"));
    dump[dump.length >> 1]! ^= 0xff;
    writeFileSync(join(unpacked, "database.dump"), dump);
    const damaged = join(unpacked, "damaged.tar");
    await run("tar", [
      "-C",
      unpacked,
      "-cf",
      damaged,
      "manifest.json",
      "database.dump",
      "uploads.tar",
      "rooms.tar",
      "SECRETS.txt",
    ]);
    await expect(restore(damaged, copy, "--force")).rejects.toThrow(/database\.dump .* does not match its checksum/);
    expect(await messages(copy)).toBe(before);

    // An archive from a newer Chatalot: its database has a migration this checkout does not know.
    await sql(
      copy,
      "insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-the-future', 9999999999999)",
    );
    const newer = await backUp(copy, temporary("newer"));
    await sql(copy, "delete from drizzle.__drizzle_migrations where hash = 'from-the-future'");
    const fresh = await newInstance("backup_fresh");
    await expect(restore(newer, fresh)).rejects.toThrow(/made by a newer Chatalot .* schema unknown/);
    expect(await sql(fresh, "select 1 from information_schema.tables where table_schema = 'public'")).toEqual([]);

    // --force replaces a populated database with the archive's.
    await sql(copy, "delete from messages");
    await restore(archive, copy, "--force");
    expect(await messages(copy)).toBe(before);
  }, 90_000);

  it("refuses another app's database and a room directory that is not room storage, changing nothing", async () => {
    // DATABASE_URL naming another app's database: one table, none of Chatalot's, no accounts.
    const elsewhere = await newInstance("backup_elsewhere");
    await sql(elsewhere, "create table invoices (id int primary key); insert into invoices values (1), (2)");
    await expect(restore(archive, elsewhere)).rejects.toThrow(
      /holds 1 table\(s\) that are not a Chatalot schema.*--force/s,
    );
    expect(await sql(elsewhere, "select count(*)::int as n from invoices")).toEqual([{ n: 2 }]);

    // ROOM_STORAGE_DIR naming some other directory: refused, its files kept.
    const fresh = await newInstance("backup_wrong_rooms");
    writeFileSync(join(fresh.rooms, "notes.txt"), "not room storage");
    await expect(restore(archive, fresh)).rejects.toThrow(/ROOM_STORAGE_DIR=.* holds .*notes\.txt.*not room storage/);
    expect(readFileSync(join(fresh.rooms, "notes.txt"), "utf8")).toBe("not room storage");
    expect(await sql(fresh, "select 1 from pg_tables where schemaname in ('public', 'drizzle')")).toEqual([]);
  }, 60_000);

  it("writes the archive readable by its owner alone, in a directory it makes private", async () => {
    const out = join(temporary("private"), "backups");
    const made = await backUp(copy, out);
    expect(statSync(out).mode & 0o777).toBe(0o700);
    expect(statSync(made).mode & 0o777).toBe(0o600);
  }, 60_000);

  it("restores an archive of an older schema, which the server's start-up then migrates forward", async () => {
    // The schema as the previous release left it: the committed migrations but the newest.
    const old = await newInstance("backup_old");
    const folder = temporary("old-migrations");
    mkdirSync(join(folder, "meta"));
    const entries = journal.entries.slice(0, -1);
    writeFileSync(join(folder, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }));
    for (const entry of entries)
      copyFileSync(join(root, "db", "migrations", `${entry.tag}.sql`), join(folder, `${entry.tag}.sql`));
    const client = new pg.Client({ connectionString: old.database.url });
    await client.connect();
    await migrate(drizzle({ client }), { migrationsFolder: folder });
    await client.end();
    const olderArchive = await backUp(old, temporary("older"));
    const manifest = JSON.parse((await run("tar", ["-xOf", olderArchive, "manifest.json"])).stdout);
    expect(manifest.schemaMigration.tag).toBe(entries.at(-1).tag);

    const upgraded = await newInstance("backup_upgraded");
    await restore(olderArchive, upgraded);
    const applied = async () =>
      (await sql(upgraded, "select count(*)::int as n from drizzle.__drizzle_migrations"))[0].n;
    expect(await applied()).toBe(entries.length);
    const server = await start(upgraded);
    expect(await applied()).toBe(journal.entries.length);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  }, 60_000);

  it("keeps the newest N archives, and leaves nothing of a backup that fails part-way", async () => {
    // A backup that fails part-way (a room's SQLite file is not one) leaves no archive behind.
    const broken = { ...copy, rooms: temporary("broken-rooms") };
    mkdirSync(join(broken.rooms, "chatalot-channel-room"));
    writeFileSync(join(broken.rooms, "chatalot-channel-room", "0123.sqlite"), "not a database");
    const failedOut = temporary("failed");
    await expect(backUp(broken, failedOut)).rejects.toThrow(/room storage could not be copied consistently/);
    expect(readdirSync(failedOut)).toEqual([]);

    // Retention: the newest N archives stay; N must be a whole number of at least one.
    const kept = temporary("kept");
    const made = [];
    for (let index = 0; index < 3; index++) made.push(await backUp(copy, kept, "--keep", "2"));
    expect(readdirSync(kept).sort()).toEqual(made.slice(1).map((path) => path.split("/").at(-1)));
    await expect(backUp(copy, kept, "--keep", "0")).rejects.toThrow(/--keep takes a whole number/);
  }, 60_000);
});
