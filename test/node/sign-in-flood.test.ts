/**
 * Floods of sign-ins against the production entrypoint (with its separate password
 * hasher): many addresses guessing at once, a distributed campaign that trips the
 * breaker, and recovery attempts for names that do not exist. The owner of an
 * account, from a browser that signed in before, is never the one kept waiting.
 * The server trusts 127.0.0.1 as a proxy, so X-Forwarded-For stands for each address.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, registerOn, type ApiResponse } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const PASSWORD = "correct horse battery staple";
const QUEUED_MAX = 2;
const FAILURES_PER_MINUTE = 30;

let database: TestDatabase;
let server: RunningServer;
/** alice's browser: the device cookie her registration set. */
let alicesBrowser = "";

beforeAll(async () => {
  database = await createTestDatabase("sign_in_flood");
  server = await startServer({
    databaseUrl: database.url,
    env: {
      TRUSTED_PROXIES: "127.0.0.1",
      PASSWORD_CHECKS_QUEUED_MAX: String(QUEUED_MAX),
      SIGN_IN_FAILURES_PER_MINUTE: String(FAILURES_PER_MINUTE),
    },
  });
  const registered = await call(server, "/api/auth/register", {
    body: { username: "alice", password: PASSWORD },
    forwardedFor: "198.51.100.20",
  });
  expect(registered.status, registered.text).toBe(201);
  alicesBrowser = deviceCookieOf(registered);
  await registerOn(server, "bob", PASSWORD, { forwardedFor: "198.51.100.30" });
});

afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

function deviceCookieOf(response: ApiResponse): string {
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith("chatalot_device="));
  expect(cookie, "a device cookie").toBeDefined();
  return cookie!.split(";")[0]!;
}

let nextHost = 1;
/** A fresh address in its own /48, so no address or prefix limit is what stops it. */
const stranger = () => `2001:db8:${(nextHost++).toString(16)}::1`;

const signIn = (username: string, password: string, from: string, cookie?: string) =>
  call(server, "/api/auth/login", {
    body: { username, password },
    forwardedFor: from,
    headers: cookie ? { Cookie: cookie } : {},
  });

describe("a flood of sign-ins", () => {
  it("turns strangers away with 503 and Retry-After once the password checks queued are full, and alice's browser still gets in", async () => {
    const flood = Array.from({ length: 12 }, (_, index) => signIn(`nobody${index}`, "guessing", stranger()));
    const alice = signIn("alice", PASSWORD, "203.0.113.8", alicesBrowser);
    const answers = await Promise.all(flood);
    const busy = answers.filter((answer) => answer.status === 503);
    expect(busy.length, answers.map((answer) => answer.status).join(" ")).toBeGreaterThan(0);
    for (const answer of busy) {
      expect(answer.body.error.code).toBe("sign_in_busy");
      expect(Number(answer.headers.get("Retry-After"))).toBeGreaterThan(0);
    }
    // Turned away before any check: not counted as failures (they may try again).
    expect(answers.filter((answer) => answer.status === 401).length + busy.length).toBe(12);
    const signedIn = await alice;
    expect(signedIn.status, signedIn.text).toBe(200);
  });

  it("trips the breaker after a campaign of failures: strangers wait out the minute, known browsers and addresses do not", async () => {
    // Each guess names another account from another address: no lockout sees the campaign.
    for (let attempt = 0; attempt < FAILURES_PER_MINUTE; attempt++) {
      const answer = await signIn(`someone${attempt}`, "guessing wrong", stranger());
      expect([401, 503]).toContain(answer.status);
    }
    // bob's right password from a device that never signed in: the breaker holds it back.
    const newDevice = await signIn("bob", PASSWORD, stranger());
    expect(newDevice.status, newDevice.text).toBe(503);
    expect(newDevice.body.error.code).toBe("sign_in_busy");
    expect(Number(newDevice.headers.get("Retry-After"))).toBeLessThanOrEqual(60);
    // bob at the address he registered from, and alice's browser, sign in.
    expect((await signIn("bob", PASSWORD, "198.51.100.30")).status).toBe(200);
    expect((await signIn("alice", PASSWORD, stranger(), alicesBrowser)).status).toBe(200);
  });
});

describe("recovery attempts for names that do not exist", () => {
  it("cost one lookup: no audit row, no lockout row, and the same answer, as late, as for a real name", async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const count = async (table: string) =>
        Number((await client.query(`select count(*) from ${table}`)).rows[0].count);
      const before = { audit: await count("audit_events"), throttles: await count("auth_throttles") };
      const recover = (username: string) =>
        call(server, "/api/auth/recover", {
          body: { username, recoveryCode: "aaaa-bbbb-cccc-dddd-eeee-ffff-gggg", newPassword: "a brand new passphrase" },
          forwardedFor: stranger(),
        });
      const started = performance.now();
      const unknown = await recover("nobody-at-all");
      const unknownMs = performance.now() - started;
      for (let index = 0; index < 20; index++) expect((await recover(`ghost${index}`)).status).toBe(401);
      expect(await count("audit_events")).toBe(before.audit);
      expect(await count("auth_throttles")).toBe(before.throttles);

      const real = await recover("alice");
      expect(real.status).toBe(401);
      // The same but for each request's own id (X-Request-Id, for the log).
      expect({ ...unknown.body.error, requestId: null }).toEqual({ ...real.body.error, requestId: null });
      expect(Object.keys(unknown.body)).toEqual(["error"]);
      // Both answers wait out the same floor (RECOVERY_MIN_MS), so neither is quick.
      expect(unknownMs).toBeGreaterThanOrEqual(100);
    } finally {
      await client.end();
    }
  });
});
