/**
 * Backups that restore, natively: an instance with alice (the admin), bob (with
 * two-factor) and carol (a Moderator in the Town community), an end-to-end encrypted DM,
 * a file and a read position is backed up by scripts/backup.sh while carol keeps
 * sending, restored by scripts/restore.sh into a fresh database and fresh directories,
 * and a server started on the copy serves all of it; bob's new device, restored from his
 * key backup, reads the DM. Then what restore.sh refuses, changing nothing.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unpackFrames, type ChannelView, type MessageView, type ServerFrame } from "../../protocol/index.ts";
import { chatalotCiphersuite, newRecoveryKey } from "../../e2ee/index.ts";
import { call, oathtool, openChannelSocket, registerOn, signInOn, type Account } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { SimulatedDevice } from "../support/e2ee-device.ts";
import { root, startServer, type RunningServer } from "../support/server.ts";

const run = promisify(execFile);
const PASSWORD = "a long enough password";
const SEND_INTERVAL_MS = 120;
const SAID = ["the keys are under the mat", "and the door code is new"];
const FILE = Buffer.from(crypto.getRandomValues(new Uint8Array(3_000)));
const journal = JSON.parse(readFileSync(join(root, "db", "migrations", "meta", "_journal.json"), "utf8"));
const temporary = (name: string) => mkdtempSync(join(tmpdir(), `chatalot-backup-${name}-`));

/** An instance: its database, directories and (while it runs) server. */
interface Instance {
  database: TestDatabase;
  uploads: string;
  rooms: string;
  server?: RunningServer;
}
const instances: Instance[] = [];
async function newInstance(name: string): Promise<Instance> {
  const instance = {
    database: await createTestDatabase(name),
    uploads: temporary("uploads"),
    rooms: temporary("rooms"),
  };
  instances.push(instance);
  return instance;
}
const start = async (instance: Instance) =>
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
const backUp = async (instance: Instance, out: string, ...flags: string[]) =>
  (await run(join(root, "scripts", "backup.sh"), ["--native", "--out", out, ...flags], { env: envOf(instance) })).stdout
    .trim()
    .split("\n")
    .at(-1)!;
const restore = (archive: string, instance: Instance, ...flags: string[]) =>
  run(join(root, "scripts", "restore.sh"), [archive, "--native", ...flags], { env: envOf(instance) });
async function sql<T = any>(instance: Instance, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: instance.database.url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

let source: Instance, copy: Instance;
let alice: Account, bob: Account, carol: Account;
let communityId = "",
  generalId = "",
  fileId = "",
  totpSecret = "";
let dm: ChannelView;
const recoveryKey = newRecoveryKey();
const out = temporary("archives");
let archive = "";
/** carol's messages, in the order the server acknowledged them, and how many were acknowledged before the backup began. */
const acknowledged: { clientId: string; seq: number }[] = [];
let acknowledgedBeforeBackup = 0;

beforeAll(async () => {
  source = await newInstance("backup_source");
  const server = await start(source);
  alice = await registerOn(server, "admin", PASSWORD);
  bob = await registerOn(server, "bob", PASSWORD);
  carol = await registerOn(server, "carol", PASSWORD);
}, 60_000);

afterAll(async () => {
  for (const instance of instances) {
    await instance.server?.stop();
    await instance.database.stop();
  }
});

/** carol's socket in #general, sending one message after another until told to stop. */
async function keepSending(server: RunningServer): Promise<{ stop(): Promise<void> }> {
  const { socket } = await openChannelSocket(server, carol, generalId);
  const waiting = new Map<string, (message: MessageView) => void>();
  let refusal: Error | undefined;
  socket.on("message", (data) => {
    for (const frame of unpackFrames(JSON.parse(String(data)) as ServerFrame)) {
      if (frame.type === "ack") waiting.get(frame.clientId)?.(frame.message);
      if (frame.type !== "error") continue;
      refusal = new Error(`carol's message was refused: ${JSON.stringify(frame)}`);
      for (const resolve of waiting.values()) resolve(undefined as never);
    }
  });
  let isSending = true;
  const sending = (async () => {
    for (let index = 0; isSending; index++) {
      const clientId = `backup-${String(index).padStart(6, "0")}`;
      if (refusal) throw refusal;
      const acked = new Promise<MessageView>((resolve) => waiting.set(clientId, resolve));
      socket.send(JSON.stringify({ type: "send", clientId, payload: Buffer.from(`note ${index}`).toString("base64") }));
      const message = await acked;
      if (refusal) throw refusal;
      acknowledged.push({ clientId, seq: message.seq });
      // A person's pace, under the room's ten frames a second per socket.
      await new Promise((resolve) => setTimeout(resolve, SEND_INTERVAL_MS));
    }
  })();
  return {
    async stop() {
      isSending = false;
      await sending;
      socket.close();
    },
  };
}

describe("scripts/backup.sh and scripts/restore.sh", () => {
  it("fill an instance: two-factor, a role, an encrypted DM with a key backup, a file, a read position", async () => {
    const server = source.server!;

    communityId = (await call(server, "/api/communities", { token: alice.token, body: { name: "Town" } })).body
      .community.id;
    const invite = await call(server, `/api/communities/${communityId}/invites`, { token: alice.token, body: {} });
    for (const member of [bob, carol])
      await call(server, "/api/community-invites/accept", { token: member.token, body: { code: invite.body.code } });
    const role = await call(server, `/api/communities/${communityId}/roles`, {
      token: alice.token,
      body: { name: "Moderators", permissions: ["MANAGE_MESSAGES"] },
    });
    const given = await call(server, `/api/communities/${communityId}/members/${carol.id}/roles/${role.body.role.id}`, {
      method: "PUT",
      token: alice.token,
    });
    expect(given.status, given.text).toBeLessThan(300);
    const channels = await call(server, `/api/communities/${communityId}/channels`, { token: alice.token });
    generalId = channels.body.channels.find((channel: { name: string }) => channel.name === "general").id;

    const cipherSuite = await chatalotCiphersuite();
    const [aliceDevice, bobDevice] = await Promise.all([
      SimulatedDevice.setUp(server, alice, cipherSuite),
      SimulatedDevice.setUp(server, bob, cipherSuite),
    ]);
    dm = (await aliceDevice.api<{ channel: ChannelView }>("POST", "/api/dms", { userIds: [bob.id] })).channel;
    await aliceDevice.startGroup(dm.id);
    await aliceDevice.commitPending(dm.id);
    await bobDevice.acceptWelcomes();
    for (const words of SAID) await aliceDevice.send(dm.id, { kind: "text", text: words });
    expect(await bobDevice.backUp(recoveryKey)).toBe(1);

    const upload = await call(server, `/api/channels/${generalId}/uploads`, {
      token: alice.token,
      body: { size: FILE.length },
    });
    fileId = upload.body.upload.id;
    const part = await fetch(`${server.url}/api/uploads/${fileId}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${alice.token}`, "Upload-Offset": "0" },
      body: FILE,
    });
    expect(part.status).toBe(200);
    const { socket } = await openChannelSocket(server, alice, generalId);
    const answer = new Promise<ServerFrame>((resolve) =>
      socket.on("message", (data) => {
        for (const frame of unpackFrames(JSON.parse(String(data)) as ServerFrame))
          if (frame.type === "ack" || frame.type === "error") resolve(frame);
      }),
    );
    socket.send(
      JSON.stringify({ type: "send", clientId: "file-caption", payload: "Y2FwdGlvbg==", attachments: [fileId] }),
    );
    expect((await answer).type, JSON.stringify(await answer)).toBe("ack");
    socket.close();
    const read = await call(server, `/api/channels/${generalId}/read`, {
      method: "PUT",
      token: bob.token,
      body: { seq: 1 },
    });
    expect(read.status, read.text).toBe(200);
    // Two-factor last: storing a key backup would then ask bob for a code too.
    const setup = await call(server, "/api/two-factor/setup", { method: "POST", token: bob.token });
    totpSecret = setup.body.secret;
    const enabled = await call(server, "/api/two-factor/enable", {
      token: bob.token,
      body: { totpCode: oathtool(totpSecret), password: PASSWORD },
    });
    expect(enabled.status, enabled.text).toBe(200);
  }, 60_000);

  it("backs up while carol keeps sending, into one archive with a manifest", async () => {
    const sender = await keepSending(source.server!);
    while (acknowledged.length < 5) await new Promise((resolve) => setTimeout(resolve, 10));
    acknowledgedBeforeBackup = acknowledged.length;
    archive = await backUp(source, out);
    const acknowledgedAfterBackup = acknowledged.length;
    await sender.stop();
    expect(acknowledgedAfterBackup).toBeGreaterThan(acknowledgedBeforeBackup); // she did send during it

    expect(readdirSync(out)).toEqual([archive.split("/").at(-1)]); // nothing partial beside it
    const listing = (await run("tar", ["-tf", archive])).stdout.trim().split("\n");
    expect(listing).toEqual(["manifest.json", "database.dump", "uploads.tar", "rooms.tar", "SECRETS.txt"]);
    const manifest = JSON.parse((await run("tar", ["-xOf", archive, "manifest.json"])).stdout);
    expect(manifest).toMatchObject({
      chatalot: JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version,
      schemaMigration: { tag: journal.entries.at(-1).tag, createdAt: journal.entries.at(-1).when },
      mode: "native",
    });
    expect(manifest.members.map((member: { name: string }) => member.name)).toEqual(listing.slice(1));
  }, 60_000);

  it("restores into a fresh instance that serves every account, role, message, file and read position", async () => {
    copy = await newInstance("backup_copy");
    const restored = await restore(archive, copy);
    expect(restored.stdout.trim()).toBe(`restored ${archive}`);
    const server = await start(copy);

    const withoutCode = await call(server, "/api/auth/login", { body: { username: "bob", password: PASSWORD } });
    expect(withoutCode.body.error.code).toBe("two_factor_required");
    // The next step's code: the one that turned two-factor on is spent, in the copy too.
    const bobAgain = await signInOn(server, "bob", PASSWORD, {
      totpCode: oathtool(totpSecret, new Date(Date.now() + 30_000)),
    });
    const carolAgain = await signInOn(server, "carol", PASSWORD);
    const aliceAgain = await signInOn(server, "admin", PASSWORD);
    expect(aliceAgain.isAdmin).toBe(true);

    const permissions = async (account: Account) =>
      (await call(server, `/api/communities/${communityId}`, { token: account.token })).body.myPermissions;
    expect(await permissions(carolAgain)).toContain("MANAGE_MESSAGES");
    expect(await permissions(bobAgain)).not.toContain("MANAGE_MESSAGES");

    // Every message acknowledged before the backup began, and what came after is a gap-free run.
    const stored: MessageView[] = [];
    for (let after = 0; ;) {
      const page = await call(server, `/api/channels/${generalId}/messages?after=${after}&limit=100`, {
        token: carolAgain.token,
      });
      stored.push(...page.body.messages);
      if (page.body.messages.length < 100) break;
      after = stored.at(-1)!.seq;
    }
    const carolsIds = stored.filter((message) => message.senderId === carol.id).map((message) => message.clientId);
    expect(carolsIds.length).toBeGreaterThanOrEqual(acknowledgedBeforeBackup);
    expect(carolsIds).toEqual(acknowledged.slice(0, carolsIds.length).map((message) => message.clientId));

    const file = await fetch(`${server.url}/api/files/${fileId}`, {
      headers: { Authorization: `Bearer ${bobAgain.token}` },
    });
    expect(Buffer.from(await file.arrayBuffer())).toEqual(FILE);
    const unread = await call(server, "/api/unread", { token: bobAgain.token });
    expect(unread.body.channels.find((row: { channelId: string }) => row.channelId === generalId).lastReadSeq).toBe(1);
    expect(readdirSync(copy.rooms).sort()).toEqual(readdirSync(source.rooms).sort());

    // A new device of bob's, from his key backup alone, reads the encrypted DM.
    const laptop = await SimulatedDevice.restore(server, bobAgain, await chatalotCiphersuite(), { recoveryKey });
    const page = await laptop.api<{ messages: MessageView[] }>("GET", `/api/channels/${dm.id}/messages?limit=50`);
    const texts = [];
    for (const message of page.messages) {
      const opened = await laptop.open(message);
      if (!opened.ok) throw new Error(opened.reason);
      if (opened.content.kind === "text") texts.push(opened.content.text);
    }
    expect(texts).toEqual(SAID);
  }, 90_000);

  it("refuses a damaged archive, a populated database and a newer schema, changing nothing; keeps the newest N; a failed backup leaves nothing", async () => {
    await copy.server!.stop();
    const messages = async (instance: Instance) =>
      (await sql(instance, "select count(*)::int as n from messages"))[0].n;
    const before = await messages(copy);

    // A populated database: refused without --force.
    await expect(restore(archive, copy)).rejects.toThrow(/already holds 3 account\(s\).*--force/s);
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

    // --force replaces a populated database with the archive's.
    await sql(copy, "delete from messages");
    await restore(archive, copy, "--force");
    expect(await messages(copy)).toBe(before);
  }, 90_000);

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
});
