/**
 * Two-factor codes from Debian's oathtool, an implementation independent of the
 * server's otplib, against the production server and its database.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, oathtool, registerOn, signInOn, type Account } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const STEP_MS = 30_000;
const PASSWORD = "correct horse battery staple";

let database: TestDatabase;
let server: RunningServer;
let alice: Account;

beforeAll(async () => {
  oathtool("JBSWY3DPEHPK3PXP"); // fails loudly, naming `apt-get install oathtool`, when it is missing
  database = await createTestDatabase("accounts_totp");
  server = await startServer({ databaseUrl: database.url });
  alice = await registerOn(server, "alice", PASSWORD);
});

afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

describe("two-factor codes from oathtool", () => {
  it("turn two-factor on, sign in within ±1 step, and are refused when replayed or too old", async () => {
    const setup = await call(server, "/api/two-factor/setup", { method: "POST", token: alice.token });
    expect(setup.status).toBe(200);
    const { secret, otpauthUri } = setup.body as { secret: string; otpauthUri: string };
    expect(new URL(otpauthUri).searchParams.get("secret")).toBe(secret);

    const now = Date.now();
    const enable = await call(server, "/api/two-factor/enable", {
      token: alice.token,
      body: { totpCode: oathtool(secret, new Date(now)), password: PASSWORD },
    });
    expect(enable.status, enable.text).toBe(200);
    expect(enable.body.backupCodes).toHaveLength(10);

    const withoutCode = await call(server, "/api/auth/login", { body: { username: "alice", password: PASSWORD } });
    expect(withoutCode.status).toBe(401);
    expect(withoutCode.body.error.code).toBe("two_factor_required");

    // The code for the next 30-second step: the server accepts one step of clock drift either way.
    const nextStepCode = oathtool(secret, new Date(now + STEP_MS));
    const session = await signInOn(server, "alice", PASSWORD, { totpCode: nextStepCode });
    expect((await call(server, "/api/me", { token: session.token })).body.user).toMatchObject({
      username: "alice",
      hasTwoFactor: true,
    });

    const replay = await call(server, "/api/auth/login", {
      body: { username: "alice", password: PASSWORD, totpCode: nextStepCode },
    });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe("invalid_two_factor_code");

    const tooOld = await call(server, "/api/auth/login", {
      body: { username: "alice", password: PASSWORD, totpCode: oathtool(secret, new Date(now - 3 * STEP_MS)) },
    });
    expect(tooOld.status).toBe(401);
    expect(tooOld.body.error.code).toBe("invalid_two_factor_code");
  });

  it("keeps the secret encrypted at rest, never as the base32 text or its bytes", async () => {
    const bob = await registerOn(server, "bob", PASSWORD);
    const setup = await call(server, "/api/two-factor/setup", { method: "POST", token: bob.token });
    const { secret } = setup.body as { secret: string };
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query("select totp_secret, totp_key_version from users where id = $1", [bob.id]);
    await client.end();
    const stored = rows[0].totp_secret as Buffer;
    expect(rows[0].totp_key_version).toBe(1);
    // 12-byte IV + ciphertext + 16-byte GCM tag around the secret's text.
    expect(stored.length).toBe(12 + secret.length + 16);
    expect(stored.toString("latin1")).not.toContain(secret);
    expect(stored.toString("latin1").toUpperCase()).not.toContain(secret.toUpperCase());
  });
});
