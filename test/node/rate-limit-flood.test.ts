/**
 * A flood of addresses cannot use up the in-memory rate-limit windows at other
 * people's expense: once the windows are full (RATE_LIMIT_MEMORY_WINDOWS, ten
 * here), each further address is counted in PostgreSQL in a window of its own,
 * so a newcomer still gets its whole allowance, and is refused past it. Addresses
 * come from X-Forwarded-For, believed from loopback for this test.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const MEMORY_WINDOWS = 10;
/** POST /api/auth/refresh: 120 in five minutes per address, a window short enough for memory. */
const REFRESH_LIMIT = 120;

let database: TestDatabase;
let server: RunningServer;

beforeAll(async () => {
  database = await createTestDatabase("rate_limit_flood");
  server = await startServer({
    databaseUrl: database.url,
    env: { TRUSTED_PROXIES: "127.0.0.1", RATE_LIMIT_MEMORY_WINDOWS: String(MEMORY_WINDOWS) },
  });
});

afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

/** The windows PostgreSQL counts, by key. */
async function countedInDatabase(): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ key: string; count: number }>("select key, count from rate_limits");
    return new Map(rows.map((row) => [row.key, row.count]));
  } finally {
    await client.end();
  }
}

/** One refresh without a cookie (answered 401 unless limited) from `address`. */
const refresh = (address: string) =>
  call(server, "/api/auth/refresh", { method: "POST", headers: { "X-Chatalot-CSRF": "1" }, forwardedFor: address });

/** Sends `count` refreshes from `address` and returns their statuses. */
async function refreshes(address: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let index = 0; index < count; index++) statuses.push((await refresh(address)).status);
  return statuses;
}

describe("rate limits when a flood of addresses has filled the memory windows", () => {
  it("give each further address its own whole allowance, and refuse it past that", async () => {
    for (let index = 0; index < MEMORY_WINDOWS; index++) {
      expect((await refresh(`198.51.100.${index + 1}`)).status).toBe(401);
    }

    const newcomer = "203.0.113.1";
    expect(await refreshes(newcomer, REFRESH_LIMIT)).toEqual(Array(REFRESH_LIMIT).fill(401));
    const refused = await refresh(newcomer);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    const retryAfter = Number(refused.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(4 * 60);
    expect(retryAfter).toBeLessThanOrEqual(5 * 60);

    // Another newcomer is not refused for the first one's requests.
    expect(await refreshes("203.0.113.2", 5)).toEqual(Array(5).fill(401));

    // Where each was counted: the flood in memory, the newcomers in PostgreSQL.
    const counted = await countedInDatabase();
    expect(counted.get(`refresh:${newcomer}`)).toBe(REFRESH_LIMIT + 1);
    expect(counted.get("refresh:203.0.113.2")).toBe(5);
    expect([...counted.keys()].filter((key) => key.startsWith("refresh:198.51.100."))).toEqual([]);
  });

  it("keep counting the addresses that already hold a window", async () => {
    const flooder = "198.51.100.1"; // one request counted above
    expect(await refreshes(flooder, REFRESH_LIMIT - 1)).toEqual(Array(REFRESH_LIMIT - 1).fill(401));
    expect((await refresh(flooder)).status).toBe(429);
  });
});
