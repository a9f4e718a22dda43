/**
 * The production entrypoint (scripts/serve.sh + workerd/chatalot.capnp, the same
 * configuration the Docker image compiles), run natively against PostgreSQL.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import WebSocket from "ws";
import { afterAll, describe, expect, it } from "vitest";
import { socketProtocols, unpackFrames, type ServerFrame } from "../../protocol/index.ts";
import { createTestDatabase, startPglite, type TestDatabase } from "../support/database.ts";
import { root, startServer, type RunningServer } from "../support/server.ts";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function database(name: string): Promise<TestDatabase> {
  const db = await createTestDatabase(name);
  cleanups.push(() => db.stop());
  return db;
}

async function server(options: Parameters<typeof startServer>[0]): Promise<RunningServer> {
  const running = await startServer(options);
  cleanups.push(() => running.stop());
  return running;
}

async function healthOf(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/health`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check().catch(() => undefined);
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("the production entrypoint", () => {
  it("answers 503 starting while its migrations wait, and ok once they are applied", async () => {
    const db = await database("chatalot_starting");
    // Migrations run under this advisory lock (db/migrate.ts): holding it keeps start-up waiting.
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    await holder.query("select pg_advisory_lock(7220113)");
    const chatalot = await server({ databaseUrl: db.url, waitForReady: false });
    try {
      const starting = await eventually(() => healthOf(chatalot.url), 30_000, "/health to answer");
      expect(starting.status).toBe(503);
      expect(starting.body).toMatchObject({ status: "starting", db_healthy: true });
    } finally {
      await holder.query("select pg_advisory_unlock(7220113)");
      await holder.end();
    }
    const ready = await eventually(
      async () => {
        const health = await healthOf(chatalot.url);
        return health.status === 200 ? health : undefined;
      },
      30_000,
      "/health ok",
    );
    expect(ready.body).toMatchObject({ status: "ok", db_healthy: true });
  });

  it("reports ok, then 503 degraded while PostgreSQL is stopped, then ok again once it is back", async () => {
    // Embedded PostgreSQL here, because this test stops and restarts the server process.
    let postgres = await startPglite();
    cleanups.push(() => postgres.stop());
    const chatalot = await server({ databaseUrl: postgres.url, env: { DATABASE_POOL_SIZE: "1" } });

    const healthy = await healthOf(chatalot.url);
    expect(healthy.status).toBe(200);
    expect(healthy.body).toMatchObject({ status: "ok", db_healthy: true, version: expect.any(String) });
    expect(healthy.body.uptime_secs).toEqual(expect.any(Number));

    await postgres.stop();
    const degraded = await eventually(
      async () => {
        const health = await healthOf(chatalot.url);
        return health.status === 503 ? health : undefined;
      },
      20_000,
      "a degraded /health",
    );
    expect(degraded.body).toMatchObject({ status: "degraded", db_healthy: false });

    postgres = await startPglite(postgres.dataDir, postgres.port);
    const recovered = await eventually(
      async () => {
        const health = await healthOf(chatalot.url);
        return health.status === 200 ? health : undefined;
      },
      30_000,
      "/health to recover",
    );
    expect(recovered.body).toMatchObject({ status: "ok", db_healthy: true });
  });

  it("carries a message from a socket into PostgreSQL and back out as history", async () => {
    const db = await database("entrypoint_thin_path");
    const chatalot = await server({ databaseUrl: db.url });
    const post = async (path: string, body: unknown, token?: string) => {
      const response = await fetch(`${chatalot.url}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      expect(response.status, await response.clone().text()).toBeLessThan(300);
      return response.json() as Promise<Record<string, any>>;
    };
    const admin = await post("/api/auth/register", { username: "admin", password: "correct horse battery" });
    expect(admin.user.isAdmin).toBe(true);
    const { community } = await post("/api/communities", { name: "Town" }, admin.accessToken);
    const listed = await fetch(`${chatalot.url}/api/communities/${community.id}/channels`, {
      headers: { Authorization: `Bearer ${admin.accessToken}` },
    });
    const [channel] = ((await listed.json()) as { channels: { id: string; name: string }[] }).channels;
    expect(channel!.name).toBe("general");
    const { ticket } = await post(`/api/channels/${channel!.id}/socket-ticket`, {}, admin.accessToken);

    const socket = new WebSocket(
      `${chatalot.url.replace("http", "ws")}/api/channels/${channel!.id}/socket`,
      socketProtocols(ticket),
    );
    const frames: any[] = [];
    socket.on("message", (data) => frames.push(...unpackFrames(JSON.parse(String(data)) as ServerFrame)));
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    socket.send(
      JSON.stringify({
        type: "send",
        clientId: "first-message",
        payload: Buffer.from("opaque bytes").toString("base64"),
      }),
    );
    const ack = await eventually(async () => frames.find((frame) => frame.type === "ack"), 5_000, "an ack");
    socket.close();
    expect(ack.message.seq).toBe(1);

    const rows = await new pg.Client({ connectionString: db.url });
    await rows.connect();
    const stored = await rows.query("select seq, payload from messages");
    await rows.end();
    expect(stored.rows).toEqual([{ seq: "1", payload: Buffer.from("opaque bytes") }]);

    const history = await fetch(`${chatalot.url}/api/channels/${channel!.id}/messages`, {
      headers: { Authorization: `Bearer ${admin.accessToken}` },
    });
    expect(((await history.json()) as { messages: unknown[] }).messages).toEqual([ack.message]);
  });

  it("serves no directory listing and no admin code through spellings of its path", async () => {
    const chatalot = await server({ databaseUrl: (await database("chatalot_paths")).url });
    for (const path of ["/assets", "/assets/", "/admin-assets/"]) {
      const response = await fetch(`${chatalot.url}${path}`);
      const body = await response.text();
      expect(body.trimStart().startsWith("["), `${path} answered a listing: ${body.slice(0, 80)}`).toBe(false);
      expect(body).not.toContain("admin.js");
    }
    // workerd's disk service decodes and normalises what routing saw raw.
    const adminCode = readFileSync(join(root, "web", "dist", "admin-assets", "admin.js"), "utf8").slice(0, 200);
    for (const path of ["/%61dmin-assets/admin.js", "//admin-assets/admin.js", "/x/..%2Fadmin-assets/admin.js"]) {
      const response = await fetch(`${chatalot.url}${path}`);
      expect(response.status, path).toBe(403);
      expect(await response.text()).not.toContain(adminCode);
    }
    // Encoded twice: routing sees %2561, one decoding %61, the asset store's own decoding a.
    const twice = await fetch(`${chatalot.url}/%2561dmin-assets/admin.js`);
    expect([403, 404]).toContain(twice.status);
    expect(await twice.text()).not.toContain(adminCode);
    // A path that names no file gets the app's page, never the admin code.
    const other = await fetch(`${chatalot.url}/ADMIN-ASSETS/admin.js/.`);
    expect(other.headers.get("Content-Type") ?? "").not.toContain("javascript");
    expect(await other.text()).not.toContain(adminCode);
  });

  it("applies migrations exactly once when two servers start at the same moment", async () => {
    const db = await database("entrypoint_migrate_race");
    const [first, second] = await Promise.all([server({ databaseUrl: db.url }), server({ databaseUrl: db.url })]);
    expect((await healthOf(first.url)).status).toBe(200);
    expect((await healthOf(second.url)).status).toBe(200);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const applied = await client.query("select count(*)::int as count from drizzle.__drizzle_migrations");
    await client.end();
    const { embeddedMigrations } = await import("../../db/migrations/embedded.ts");
    expect(applied.rows[0].count).toBe(embeddedMigrations.length);
  });

  it("refuses to start when a migration fails, and leaves the schema as it was", async () => {
    const db = await database("entrypoint_bad_migration");
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    // A table in the way of the first migration makes it fail part-way through.
    await client.query('create table "users" (unrelated int)');
    const chatalot = await server({ databaseUrl: db.url, waitForReady: false });
    const code = await chatalot.exited;
    const tables = await client.query("select table_name from information_schema.tables where table_schema = 'public'");
    await client.end();
    expect(code).toBe(78);
    expect(chatalot.output()).toContain("start-up refused");
    expect(chatalot.output()).toContain("migration failed");
    expect(tables.rows.map((row) => row.table_name)).toEqual(["users"]);
  });
});

describe("invalid configuration stops start-up with a message naming the variable", () => {
  const cases: [string, Record<string, string | undefined>, string[]][] = [
    [
      "an unknown registration mode",
      { REGISTRATION_MODE: "wide_open" },
      ["REGISTRATION_MODE", "open, invite_only, closed"],
    ],
    ["a malformed public URL", { PUBLIC_URL: "chat.example.com" }, ["PUBLIC_URL", "https://"]],
    [
      "a missing key file",
      { JWT_PRIVATE_KEY_FILE: "/nonexistent/jwt_private.pem" },
      ["JWT_PRIVATE_KEY_FILE", "generate-secrets.sh"],
    ],
    ["a missing admin username", { ADMIN_USERNAME: undefined }, ["ADMIN_USERNAME"]],
    ["a TOTP key of the wrong length", { TOTP_ENCRYPTION_KEY: "abc" }, ["TOTP_ENCRYPTION_KEY", "generate-secrets.sh"]],
    [
      "a database URL of another kind",
      { DATABASE_URL: "mysql://root@localhost/chat" },
      ["DATABASE_URL", "postgres://"],
    ],
  ];

  it.each(cases)("refuses %s", async (_name, env, expected) => {
    const chatalot = await server({ databaseUrl: "postgres://postgres@127.0.0.1:1/unused", env, waitForReady: false });
    expect(await chatalot.exited).toBe(78);
    for (const text of expected) expect(chatalot.output()).toContain(text);
  });

  it("never prints the database password", async () => {
    const chatalot = await server({
      databaseUrl: "postgres://chatalot:s3cret-pa55word@127.0.0.1:1/chatalot",
      env: { REGISTRATION_MODE: "wide_open" },
      waitForReady: false,
    });
    await chatalot.exited;
    expect(chatalot.output()).not.toContain("s3cret-pa55word");
  });
});
