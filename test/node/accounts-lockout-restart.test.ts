/**
 * Lockouts and rate limits live in PostgreSQL, so restarting the server forgets
 * nothing. The server trusts 127.0.0.1 as a proxy here, so X-Forwarded-For can
 * stand for different people's addresses over one loopback connection.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, registerOn, type ApiResponse } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const PASSWORD = "correct horse battery staple";
const MALLORY = "203.0.113.66";
const ALICE_AT_HOME = "198.51.100.20";
const BOB_AT_HOME = "198.51.100.30";
const SPAMMER = "203.0.113.99";
const SPRAYER = "203.0.113.77";

let database: TestDatabase;
let server: RunningServer;

const start = () => startServer({ databaseUrl: database.url, env: { TRUSTED_PROXIES: "127.0.0.1" } });

beforeAll(async () => {
  database = await createTestDatabase("accounts_lockout_restart");
  server = await start();
});

afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

const login = (username: string, password: string, from: string) =>
  call(server, "/api/auth/login", { body: { username, password }, forwardedFor: from });

function expectLockedOut(response: ApiResponse) {
  expect(response.status, response.text).toBe(429);
  expect(response.body.error.code).toBe("locked_out");
  expect(response.headers.get("Retry-After")).toMatch(/^\d+$/);
  expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
}

describe("after a restart on the same database", () => {
  it("a locked account at an address, and a locked address, stay locked with Retry-After", async () => {
    await registerOn(server, "alice", PASSWORD, { forwardedFor: ALICE_AT_HOME });
    await registerOn(server, "bob", PASSWORD, { forwardedFor: BOB_AT_HOME });
    for (let attempt = 0; attempt < 5; attempt++) await login("alice", "guessing wrong!", MALLORY);
    expectLockedOut(await login("alice", PASSWORD, MALLORY));
    for (let attempt = 0; attempt < 10; attempt++) await login(`nobody${attempt}`, "guessing wrong!", SPRAYER);
    expectLockedOut(await login("bob", PASSWORD, SPRAYER));

    await server.stop();
    server = await start();

    // alice's account at mallory's address: locked, even with her right password.
    expectLockedOut(await login("alice", PASSWORD, MALLORY));
    // The sprayer's address: locked, even for bob's right password.
    expectLockedOut(await login("bob", PASSWORD, SPRAYER));
    // alice and bob at home carry on.
    const alice = await login("alice", PASSWORD, ALICE_AT_HOME);
    expect(alice.status, alice.text).toBe(200);
    const bob = await login("bob", PASSWORD, BOB_AT_HOME);
    expect(bob.status, bob.text).toBe(200);
  });

  it("a used-up registration allowance stays used up", async () => {
    // Invalid bodies count too: the limiter runs before the body is read.
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = await call(server, "/api/auth/register", { body: { username: "x!" }, forwardedFor: SPAMMER });
      expect(response.status).toBe(400);
    }
    await server.stop();
    server = await start();
    const eleventh = await call(server, "/api/auth/register", { body: { username: "x!" }, forwardedFor: SPAMMER });
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.headers.get("Retry-After"))).toBeGreaterThan(55 * 60);
  });
});
