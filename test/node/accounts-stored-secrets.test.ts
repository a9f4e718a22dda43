/**
 * What the database holds after a full account set-up: no secret in readable form
 * anywhere, and a password hash that an independent scrypt (node:crypto) confirms
 * at OWASP's recommended cost.
 */
import { scryptSync, timingSafeEqual } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, oathtool, registerOn, signInOn } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const PASSWORD = "correct horse battery staple";
const ADMIN_PASSWORD = "the operator's long passphrase";
const STEP_MS = 30_000;

let database: TestDatabase;
let server: RunningServer;

beforeAll(async () => {
  database = await createTestDatabase("accounts_stored_secrets");
  server = await startServer({ databaseUrl: database.url });
});

afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

async function query<T = any>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Every row of every table in the public schema, as JSON text. */
async function everything(): Promise<string> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const tables = await client.query("select table_name from information_schema.tables where table_schema = 'public'");
    const dumps: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await client.query(`select row_to_json(t)::text as row from "${table_name}" t`);
      dumps.push(...rows.rows.map((row) => row.row as string));
    }
    return dumps.join("\n");
  } finally {
    await client.end();
  }
}

describe("the database", () => {
  it("holds no secret in readable form: passwords, tokens, codes and the TOTP secret are all hashed or encrypted", async () => {
    const admin = await registerOn(server, "admin", ADMIN_PASSWORD);
    const invite = await call(server, "/api/admin/invites", { token: admin.token, body: {} });
    const alice = await registerOn(server, "alice", PASSWORD);
    const setup = await call(server, "/api/two-factor/setup", { method: "POST", token: alice.token });
    const now = Date.now();
    const enable = await call(server, "/api/two-factor/enable", {
      token: alice.token,
      body: { totpCode: oathtool(setup.body.secret, new Date(now)), password: PASSWORD },
    });
    expect(enable.status, enable.text).toBe(200);
    const laptop = await signInOn(server, "alice", PASSWORD, {
      totpCode: oathtool(setup.body.secret, new Date(now + STEP_MS)),
    });
    const refreshed = await call(server, "/api/auth/refresh", { method: "POST", cookie: laptop.cookie });
    expect(refreshed.status).toBe(200);

    const secrets: [string, string][] = [
      ["alice's password", PASSWORD],
      ["the admin's password", ADMIN_PASSWORD],
      ["alice's recovery code", alice.recoveryCode],
      ["the admin's recovery code", admin.recoveryCode],
      ["the invite code", invite.body.code],
      ["the TOTP secret", setup.body.secret],
      ...(enable.body.backupCodes as string[]).map((code, index): [string, string] => [`backup code ${index}`, code]),
      ...[alice.cookie, laptop.cookie, refreshed.cookie, admin.cookie].map((cookie, index): [string, string] => [
        `refresh token ${index}`,
        cookie.slice(cookie.indexOf("=") + 1),
      ]),
      ["an access token", laptop.token],
    ];
    const dump = await everything();
    expect(dump).toContain(alice.id); // the dump really holds the data
    for (const [name, value] of secrets) {
      expect(value, name).toBeTruthy();
      expect(dump.includes(value), `the database holds ${name} as it was handed out`).toBe(false);
      expect(
        dump.toLowerCase().includes(value.toLowerCase().replaceAll("-", "")),
        `the database holds ${name} without dashes`,
      ).toBe(false);
    }
    // Ten backup codes, each stored once, as a hash.
    const codes = await query("select code_hash from backup_codes where user_id = $1", [alice.id]);
    expect(codes).toHaveLength(10);
  });

  it("stores passwords as scrypt at N >= 2^17, r >= 8, which node:crypto's own scrypt reproduces", async () => {
    const [row] = await query<{ password_hash: string }>("select password_hash from users where username = 'alice'");
    const match = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([^$]+)\$([^$]+)$/.exec(row!.password_hash);
    expect(match, row!.password_hash.slice(0, 20)).not.toBeNull();
    const [, logN, r, p, salt, hash] = match!;
    expect(Number(logN)).toBeGreaterThanOrEqual(17);
    expect(Number(r)).toBeGreaterThanOrEqual(8);
    const N = 2 ** Number(logN);
    const expected = Buffer.from(hash!, "base64");
    const recomputed = scryptSync(PASSWORD, Buffer.from(salt!, "base64"), expected.length, {
      N,
      r: Number(r),
      p: Number(p),
      maxmem: 256 * N * Number(r),
    });
    expect(timingSafeEqual(recomputed, expected)).toBe(true);
    const [admin] = await query<{ password_hash: string }>("select password_hash from users where username = 'admin'");
    expect(admin!.password_hash.split("$")[4]).not.toBe(salt); // a salt of its own
  });
});
