/**
 * Upgrading an installation from before communities: its channels were open to
 * every account. After the upgrade they sit in a "Lobby" community that every
 * existing account belongs to, with their whole history, and the old admin owns it.
 * The old schema is made by the committed migrations 0000-0004 (drizzle's own
 * migrator, from a folder holding only those); the server applies the rest.
 */
import { scryptSync, randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { call } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const PASSWORD = "an old but long password";
const LAST_OLD_MIGRATION = "0004_blocks";
const migrations = join(import.meta.dirname, "..", "..", "db", "migrations");

let database: TestDatabase | undefined;
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

/** The stored format of functions/scrypt.ts, computed here with Node's own scrypt. */
function storedHash(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 });
  return ["scrypt", 17, 8, 1, salt.toString("base64"), hash.toString("base64")].join("$");
}

async function migrateToBeforeCommunities(url: string): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), "chatalot-old-migrations-"));
  mkdirSync(join(folder, "meta"));
  const journal = JSON.parse(readFileSync(join(migrations, "meta", "_journal.json"), "utf8"));
  const last = journal.entries.findIndex((entry: { tag: string }) => entry.tag === LAST_OLD_MIGRATION);
  journal.entries = journal.entries.slice(0, last + 1);
  writeFileSync(join(folder, "meta", "_journal.json"), JSON.stringify(journal));
  for (const entry of journal.entries)
    copyFileSync(join(migrations, `${entry.tag}.sql`), join(folder, `${entry.tag}.sql`));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await migrate(drizzle({ client }), { migrationsFolder: folder });
  await client.end();
}

describe("upgrading from instance-wide channels", () => {
  it("moves the old channels, with their history, into a Lobby every existing account can read", async () => {
    database = await createTestDatabase("upgrade_lobby");
    await migrateToBeforeCommunities(database.url);
    const old = new pg.Client({ connectionString: database.url });
    await old.connect();
    const hash = storedHash(PASSWORD);
    const {
      rows: [admin],
    } = await old.query(
      "insert into users (username, password_hash, is_admin) values ('admin', $1, true) returning id",
      [hash],
    );
    const {
      rows: [bob],
    } = await old.query("insert into users (username, password_hash) values ('bob', $1) returning id", [hash]);
    const {
      rows: [channel],
    } = await old.query("insert into channels (name, created_by, last_seq) values ('lounge', $1, 2) returning id", [
      bob.id,
    ]);
    for (const [seq, sender, text] of [
      [1, admin.id, "welcome"],
      [2, bob.id, "thanks"],
    ] as const) {
      await old.query(
        "insert into messages (channel_id, seq, sender_id, client_id, payload, payload_bytes) values ($1, $2, $3, $4, $5, $6)",
        [channel.id, seq, sender, `old-${seq}-message`, Buffer.from(text), text.length],
      );
    }
    await old.end();

    server = await startServer({ databaseUrl: database.url });
    for (const name of ["admin", "bob"]) {
      const signedIn = await call(server, "/api/auth/login", { body: { username: name, password: PASSWORD } });
      expect(signedIn.status, signedIn.text).toBe(200);
      const token = signedIn.body.accessToken as string;
      const communities = await call(server, "/api/communities", { token });
      const lobby = communities.body.communities.find((community: { name: string }) => community.name === "Lobby");
      expect(lobby, `${name}'s communities`).toMatchObject({ ownerId: admin.id });
      const listed = await call(server, `/api/communities/${lobby.id}/channels`, { token });
      expect(listed.body.channels.map((known: { id: string }) => known.id)).toContain(channel.id);
      const history = await call(server, `/api/channels/${channel.id}/messages`, { token });
      expect(
        history.body.messages.map((message: { payload: string }) => Buffer.from(message.payload, "base64").toString()),
      ).toEqual(["welcome", "thanks"]);
    }
  });
});
