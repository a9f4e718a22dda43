/**
 * Rotating the TOTP encryption key: scripts/rotate-totp-key.sh retires the old key,
 * the next start-up re-encrypts every secret under the new one, and after the
 * retired key is forgotten two-factor sign-in still works.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { root, startServer, type RunningServer } from "../support/server.ts";

const PASSWORD = "a long enough password";
let database: TestDatabase;
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

function oathtool(secret: string, when = "now"): string {
  try {
    return execFileSync("oathtool", ["--totp", "-b", "-N", when, secret], { encoding: "utf8" }).trim();
  } catch (error) {
    throw new Error(
      `oathtool is needed to compute codes independently: apt-get install oathtool (${(error as Error).message})`,
    );
  }
}

describe("rotating the TOTP encryption key", () => {
  it("re-encrypts secrets at the next start-up, and two-factor sign-in keeps working once the old key is gone", async () => {
    database = await createTestDatabase("totp_rotation");
    const secrets = join(mkdtempSync(join(tmpdir(), "chatalot-rotation-")), "secrets");
    execFileSync(join(root, "scripts", "generate-secrets.sh"), { env: { ...process.env, SECRETS_DIR: secrets } });
    const env = {
      TOTP_ENCRYPTION_KEY: undefined,
      TOTP_ENCRYPTION_KEY_FILE: join(secrets, "totp_encryption_key"),
      TOTP_ENCRYPTION_KEY_VERSION_FILE: join(secrets, "totp_encryption_key_version"),
      TOTP_ENCRYPTION_KEYS_RETIRED_FILE: join(secrets, "totp_encryption_keys_retired"),
    };
    const start = async () => (server = await startServer({ databaseUrl: database.url, env }));
    const post = async (path: string, body: unknown, token?: string) => {
      const response = await fetch(`${server!.url}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, any> };
    };
    const keyVersion = async () => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query("select totp_key_version from users where username = 'alice'");
      await client.end();
      return rows[0].totp_key_version;
    };

    await start();
    const alice = (await post("/api/auth/register", { username: "alice", password: PASSWORD })).body;
    const { secret } = (await post("/api/two-factor/setup", {}, alice.accessToken)).body;
    expect(
      (await post("/api/two-factor/enable", { totpCode: oathtool(secret), password: PASSWORD }, alice.accessToken))
        .status,
    ).toBe(200);
    expect(await keyVersion()).toBe(1);
    await server!.stop();

    execFileSync(join(root, "scripts", "rotate-totp-key.sh"), { env: { ...process.env, SECRETS_DIR: secrets } });
    expect(readFileSync(join(secrets, "totp_encryption_key_version"), "utf8")).toBe("2");
    await start();
    expect(server!.output()).toContain('"event":"totp_secrets_reencrypted","secrets":1');
    expect(await keyVersion()).toBe(2);
    await server!.stop();

    execFileSync(join(root, "scripts", "rotate-totp-key.sh"), ["--forget-retired"], {
      env: { ...process.env, SECRETS_DIR: secrets },
    });
    expect(readFileSync(join(secrets, "totp_encryption_keys_retired"), "utf8")).toBe("");
    await start();
    // The code for the next 30 s step: the enabling code's step is already spent.
    const signIn = await post("/api/auth/login", {
      username: "alice",
      password: PASSWORD,
      totpCode: oathtool(secret, "now + 30 seconds"),
    });
    expect(signIn.status, JSON.stringify(signIn.body)).toBe(200);
  });
});
