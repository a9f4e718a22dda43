/**
 * The production server's log, read from what it prints: one JSON object per line, a
 * line per request with its id (the one in X-Request-Id and in error bodies), route
 * pattern, status, duration and user; never a password, a token or an address unless
 * LOG_IP_ADDRESSES asks; a request id from outside only from a trusted proxy; and a
 * database connection PostgreSQL drops logged as an error (closing idle ones is not).
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const ALICE_PASSWORD = "her own Passphrase 4x7q";
const WRONG_PASSWORD = "a wrong Guess 8m2k";
const CAROL_PASSWORD = "another own Passphrase 9w3e";
const PROXY_REQUEST_ID = "proxy-request-0123456789";
const FORWARDED_ADDRESS = "198.51.100.23";
/** The entrypoint's own words (scripts/serve.sh), printed before and after workerd's log. */
const ENTRYPOINT_LINE = /^chatalot: /;

let plainDatabase: TestDatabase;
let proxiedDatabase: TestDatabase;
/** Default settings: no trusted proxy, no addresses in the log. */
let plain: RunningServer;
/** Behind a trusted proxy on 127.0.0.1, with LOG_IP_ADDRESSES=true and LOG_LEVEL=debug. */
let proxied: RunningServer;
let alice: Account;
/** When a burst of requests opened several pooled connections on `proxied`, left idle after. */
let burstAt: number;
/** How long the pool keeps an unused connection (db/database.ts). */
const IDLE_TIMEOUT_MS = 30_000;

beforeAll(async () => {
  [plainDatabase, proxiedDatabase] = await Promise.all([
    createTestDatabase("structured_logs"),
    createTestDatabase("structured_logs_ip"),
  ]);
  [plain, proxied] = await Promise.all([
    startServer({ databaseUrl: plainDatabase.url }),
    startServer({
      databaseUrl: proxiedDatabase.url,
      // A pool of 8, as the compose file's default: with 8 closing at once the bridge's end of
      // the pipe reached the driver as an error, and was logged as a lost connection.
      env: { TRUSTED_PROXIES: "127.0.0.1", LOG_IP_ADDRESSES: "true", LOG_LEVEL: "debug", DATABASE_POOL_SIZE: "8" },
    }),
  ]);
  burstAt = Date.now();
  await Promise.all(
    Array.from({ length: 16 }, () => fetch(`${proxied.url}/health`).then((response) => response.text())),
  );
  alice = await registerOn(plain, "alice", ALICE_PASSWORD);
});

afterAll(async () => {
  await Promise.all([plain?.stop(), proxied?.stop()]);
  await Promise.all([plainDatabase?.stop(), proxiedDatabase?.stop()]);
});

type LogLine = Record<string, unknown> & { time: string; level: string; event: string };

/** Every line but the entrypoint's, each parsed: a line that is not JSON fails the test. */
function logLines(server: RunningServer): LogLine[] {
  return server
    .output()
    .split("\n")
    .filter((line) => line.trim() !== "" && !ENTRYPOINT_LINE.test(line))
    .map((line) => {
      let parsed: unknown;
      expect(() => (parsed = JSON.parse(line)), `not JSON: ${line}`).not.toThrow();
      return parsed as LogLine;
    });
}

/** The request line with this id; the line is written as the answer leaves, so it may lag a moment. */
async function requestLine(server: RunningServer, requestId: string): Promise<LogLine> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const line = logLines(server).find((entry) => entry.event === "request" && entry.requestId === requestId);
    if (line || Date.now() > deadline) return line ?? expect.fail(`no log line for request ${requestId}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the server's log", () => {
  it("is one JSON object per line, each with a time, a level and an event", async () => {
    await call(plain, "/api/auth/login", { body: { username: "alice", password: WRONG_PASSWORD } });
    const lines = logLines(plain);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      expect(Number.isNaN(Date.parse(line.time)), JSON.stringify(line)).toBe(false);
      expect(["debug", "info", "warn", "error"]).toContain(line.level);
      expect(line.event).toMatch(/^[a-z_]+$/);
    }
  });

  it("has a line per request with its id, route pattern, status, duration and user, the id also in the answer", async () => {
    const missing = crypto.randomUUID();
    const answer = await call(plain, `/api/users/${missing}`, { token: alice.token });
    expect(answer.status).toBe(404);
    const requestId = answer.headers.get("X-Request-Id")!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.body.error.requestId).toBe(requestId);
    const line = await requestLine(plain, requestId);
    expect(line).toMatchObject({
      level: "info",
      method: "GET",
      route: "/api/users/:userId",
      status: 404,
      userId: alice.id,
    });
    expect(line.durationMs).toEqual(expect.any(Number));
    expect(JSON.stringify(logLines(plain))).not.toContain(missing);
  });

  it("names no password, token or address (LOG_IP_ADDRESSES is off by default)", async () => {
    const carol = await registerOn(plain, "carol", CAROL_PASSWORD);
    await call(plain, "/api/auth/login", { body: { username: "carol", password: WRONG_PASSWORD } });
    const refreshed = await call(plain, "/api/auth/refresh", { method: "POST", cookie: carol.cookie });
    expect(refreshed.status).toBe(200);
    const everything = JSON.stringify(logLines(plain));
    const secrets = [
      ALICE_PASSWORD,
      CAROL_PASSWORD,
      WRONG_PASSWORD,
      alice.token,
      carol.token,
      refreshed.body.accessToken,
      carol.cookie.slice(carol.cookie.indexOf("=") + 1),
      carol.recoveryCode,
    ];
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toContain("127.0.0.1");
    expect(logLines(plain).some((line) => "ip" in line)).toBe(false);
  });

  it("takes no request id from a client, only from a trusted proxy, whose client's address it logs when asked", async () => {
    const direct = await call(plain, "/api/me", { token: alice.token, headers: { "X-Request-Id": PROXY_REQUEST_ID } });
    expect(direct.headers.get("X-Request-Id")).not.toBe(PROXY_REQUEST_ID);
    expect(logLines(plain).some((line) => line.requestId === PROXY_REQUEST_ID)).toBe(false);

    const throughProxy = await call(proxied, "/api/me", {
      headers: { "X-Request-Id": PROXY_REQUEST_ID },
      forwardedFor: FORWARDED_ADDRESS,
    });
    expect(throughProxy.status).toBe(401);
    expect(throughProxy.headers.get("X-Request-Id")).toBe(PROXY_REQUEST_ID);
    expect(throughProxy.body.error.requestId).toBe(PROXY_REQUEST_ID);
    const line = await requestLine(proxied, PROXY_REQUEST_ID);
    expect(line).toMatchObject({ route: "/api/me", status: 401, userId: null, ip: FORWARDED_ADDRESS });
  });

  // Late in the file: the tests before it run while the burst's connections sit idle.
  it("says at debug level, not as a loss, that the pool closed connections left idle", async () => {
    const closed = () => logLines(proxied).filter((line) => line.event === "database_connection_closed");
    const deadline = burstAt + IDLE_TIMEOUT_MS + 10_000;
    while (closed().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closed().length).toBeGreaterThan(0);
    for (const line of closed()) expect(line.level).toBe("debug");
    expect(logLines(proxied).filter((line) => line.level === "warn" || line.level === "error")).toEqual([]);
  });

  it("logs a connection PostgreSQL drops as an error", async () => {
    // Requests leave pooled connections idle (closed by the pool only after 30 s).
    expect((await call(plain, "/api/me", { token: alice.token })).status).toBe(200);
    const admin = new pg.Client({ connectionString: plainDatabase.url });
    await admin.connect();
    const { rowCount } = await admin.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
    );
    await admin.end();
    expect(rowCount).toBeGreaterThan(0);
    const deadline = Date.now() + 5_000;
    let lost: LogLine[] = [];
    while (lost.length === 0 && Date.now() < deadline) {
      lost = logLines(plain).filter((line) => line.event === "database_connection_lost");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(lost.length).toBeGreaterThan(0);
    for (const line of lost) expect(line).toMatchObject({ level: "error", error: expect.stringContaining("terminat") });
    // The pool connects again: the next request is answered.
    expect((await call(plain, "/api/me", { token: alice.token })).status).toBe(200);
  });
});
