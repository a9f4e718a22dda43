/**
 * Tables that grow with use stay bounded: at start-up (and hourly) the server prunes
 * old rate-limit windows and throttles, ended sessions and spent refresh tokens.
 */
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

let database: TestDatabase;
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

describe("housekeeping at start-up", () => {
  it("deletes rows past their retention and keeps everything still in use", async () => {
    database = await createTestDatabase("housekeeping");
    server = await startServer({ databaseUrl: database.url });
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server!.url}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
    const registered = await post("/api/auth/register", { username: "alice", password: "a long enough password" });
    const cookie = registered.headers.getSetCookie()[0]!.split(";")[0]!;
    const refreshed = await post("/api/auth/refresh", {}, { Cookie: cookie, "X-Chatalot-CSRF": "1" });
    expect(refreshed.status).toBe(200);
    const gone = (await (
      await post("/api/auth/register", { username: "bob", password: "another long password" })
    ).json()) as { accessToken: string };
    await post("/api/auth/logout", {}, { Authorization: `Bearer ${gone.accessToken}` });
    await post("/api/auth/login", { username: "alice", password: "wrong password here" });
    await server.stop();

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    // Age everything by 90 days: past every retention period.
    await client.query(
      "update refresh_tokens set created_at = created_at - interval '90 days' where rotated_at is not null",
    );
    await client.query("update sessions set revoked_at = revoked_at - interval '90 days' where revoked_at is not null");
    await client.query("update rate_limits set window_start = window_start - interval '90 days'");
    await client.query(
      "update auth_throttles set last_failure_at = last_failure_at - interval '90 days', locked_until = null",
    );
    server = await startServer({ databaseUrl: database.url });
    const count = async (sql: string) => (await client.query(sql)).rows[0].count;
    expect(await count("select count(*)::int from refresh_tokens where rotated_at is not null")).toBe(0);
    expect(await count("select count(*)::int from refresh_tokens where rotated_at is null")).toBe(1);
    expect(await count("select count(*)::int from sessions")).toBe(1);
    expect(await count("select count(*)::int from rate_limits")).toBe(0);
    expect(await count("select count(*)::int from auth_throttles")).toBe(0);
    await client.end();
    expect(server.output()).toContain('"event":"database_pruned"');
    // alice's live session still refreshes.
    const again = await post(
      "/api/auth/refresh",
      {},
      { Cookie: refreshed.headers.getSetCookie()[0]!.split(";")[0]!, "X-Chatalot-CSRF": "1" },
    );
    expect(again.status).toBe(200);
  });
});
