/**
 * The instance administration API against the production server and a fresh
 * database: "admin" is the bootstrap admin, bob and carol are people.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";
import { socketProtocols } from "../../protocol/index.ts";

const PASSWORD = "a long enough password";
let database: TestDatabase;
let server: RunningServer;
let admin: { token: string; id: string };
let bob: { token: string; id: string };
let carol: { token: string; id: string };

/** Proofs of re-authentication (POST /api/admin/elevate), by access token; sent with that token's calls. */
const elevations = new Map<string, string>();

async function elevate(account: { token: string }, password = PASSWORD) {
  const answer = await call("POST", "/api/admin/elevate", account.token, { password });
  if (answer.status === 200) elevations.set(account.token, answer.body.elevation);
  return answer;
}

async function call(method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(token && elevations.has(token) ? { "X-Chatalot-Elevation": elevations.get(token)! } : {}),
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as any };
}

async function register(username: string) {
  const { status, body } = await call("POST", "/api/auth/register", undefined, { username, password: PASSWORD });
  expect(status, JSON.stringify(body)).toBe(201);
  return { token: body.accessToken as string, id: body.user.id as string };
}

/** A channel socket, open once the room said welcome. */
async function openSocket(token: string, channelId: string): Promise<WebSocket> {
  const { body } = await call("POST", `/api/channels/${channelId}/socket-ticket`, token);
  const socket = new WebSocket(
    `${server.url.replace("http", "ws")}/api/channels/${channelId}/socket`,
    socketProtocols(body.ticket),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.on("message", (data) => {
      if (JSON.parse(String(data)).type === "welcome") resolve();
    });
  });
  return socket;
}

beforeAll(async () => {
  database = await createTestDatabase("admin_api");
  server = await startServer({ databaseUrl: database.url });
  admin = await register("admin");
  bob = await register("bob");
  carol = await register("carol");
  expect((await elevate(admin)).status).toBe(200);
});

afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

describe("the instance admin API", () => {
  const adminRoutes: [string, string, unknown?][] = [
    ["GET", "/api/admin/users"],
    ["DELETE", `/api/admin/users/00000000-0000-4000-8000-000000000000`],
    ["PUT", `/api/admin/users/00000000-0000-4000-8000-000000000000/admin`, { isAdmin: true }],
    ["POST", `/api/admin/users/00000000-0000-4000-8000-000000000000/suspend`, { reason: "x" }],
    ["POST", `/api/admin/users/00000000-0000-4000-8000-000000000000/unsuspend`],
    ["POST", `/api/admin/users/00000000-0000-4000-8000-000000000000/reset-two-factor`],
    ["POST", `/api/admin/users/00000000-0000-4000-8000-000000000000/revoke-sessions`],
    ["GET", "/api/admin/invites"],
    ["POST", "/api/admin/invites", {}],
    ["DELETE", "/api/admin/invites/00000000-0000-4000-8000-000000000000"],
    ["GET", "/api/admin/registration-mode"],
    ["PUT", "/api/admin/registration-mode", { mode: "open" }],
    ["GET", "/api/admin/settings"],
    ["PATCH", "/api/admin/settings", { instanceName: "Mine now" }],
    ["GET", "/api/admin/stats"],
    ["POST", "/api/admin/announcements", { body: "hello" }],
    ["DELETE", "/api/admin/announcements/00000000-0000-4000-8000-000000000000"],
    ["GET", "/api/admin/audit"],
    ["GET", "/api/admin/overview"],
    ["GET", "/api/admin/users/00000000-0000-4000-8000-000000000000"],
    ["GET", "/api/admin/communities"],
    ["POST", "/api/admin/communities/00000000-0000-4000-8000-000000000000/transfer", { userId: crypto.randomUUID() }],
    ["DELETE", "/api/admin/communities/00000000-0000-4000-8000-000000000000"],
    ["GET", "/api/admin/audit.csv"],
    ["POST", "/api/admin/console"],
  ];

  it.each(adminRoutes)("answers 403 to a non-admin for %s %s", async (method, path, body) => {
    const { status, body: answer } = await call(method, path, bob.token, body);
    expect(status).toBe(403);
    expect(answer.error.code).toBe("forbidden");
  });

  it("lists and searches users, a page at a time", async () => {
    const all = await call("GET", "/api/admin/users?limit=2", admin.token);
    expect(all.body.users.map((user: { username: string }) => user.username)).toEqual(["admin", "bob"]);
    expect(all.body.next).toBe("bob");
    const next = await call("GET", `/api/admin/users?limit=2&after=${all.body.next}`, admin.token);
    expect(next.body.users.map((user: { username: string }) => user.username)).toEqual(["carol"]);
    const search = await call("GET", "/api/admin/users?search=CAR", admin.token);
    expect(search.body.users.map((user: { username: string }) => user.username)).toEqual(["carol"]);
  });

  it("wants the password again, from this very session, before the actions that hand over the instance", async () => {
    const modeBefore = (await call("GET", "/api/admin/registration-mode", admin.token)).body.mode;
    const second = await call("POST", "/api/auth/login", undefined, { username: "admin", password: PASSWORD });
    const bare = second.body.accessToken as string;
    const sensitive: [string, string, unknown?][] = [
      ["PUT", `/api/admin/users/${carol.id}/admin`, { isAdmin: true }],
      ["POST", `/api/admin/users/${carol.id}/reset-two-factor`],
      ["DELETE", `/api/admin/users/${carol.id}`],
      ["PUT", "/api/admin/registration-mode", { mode: "closed" }],
    ];
    for (const [method, path, body] of sensitive) {
      const refused = await call(method, path, bare, body);
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect(refused.body.error.code).toBe("reauthentication_required");
    }
    // The first session's proof does not carry over to another session of the same admin.
    elevations.set(bare, elevations.get(admin.token)!);
    expect((await call("PUT", "/api/admin/registration-mode", bare, { mode: "closed" })).status).toBe(403);
    elevations.delete(bare);
    const wrong = await elevate({ token: bare }, "not the password");
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe("wrong_password");
    expect((await call("GET", "/api/admin/registration-mode", admin.token)).body.mode).toBe(modeBefore);
    expect((await call("GET", `/api/admin/users/${carol.id}`, admin.token)).body.user.isAdmin).toBe(false);
    expect((await elevate({ token: bare })).status).toBe(200);
    expect(
      (await call("GET", "/api/admin/audit?action=admin.reauthenticated", admin.token)).body.events.length,
    ).toBeGreaterThan(0);
  });

  it("grants and revokes admin rights, but never from the last admin", async () => {
    expect((await call("PUT", `/api/admin/users/${bob.id}/admin`, admin.token, { isAdmin: true })).status).toBe(200);
    expect((await call("GET", "/api/admin/stats", bob.token)).status).toBe(200);
    expect((await call("PUT", `/api/admin/users/${bob.id}/admin`, admin.token, { isAdmin: false })).status).toBe(200);
    expect((await call("GET", "/api/admin/stats", bob.token)).status).toBe(403);
    const alone = await call("PUT", `/api/admin/users/${admin.id}/admin`, admin.token, { isAdmin: false });
    expect(alone.status).toBe(409);
    expect(alone.body.error.code).toBe("last_admin");
  });

  it("changes instance settings at runtime: community creation opens to everyone", async () => {
    expect((await call("POST", "/api/communities", bob.token, { name: "Bob's garden" })).status).toBe(403);
    const changed = await call("PATCH", "/api/admin/settings", admin.token, {
      communityCreationMode: "open",
      instanceName: "Our Chat",
    });
    expect(changed.body.settings).toMatchObject({ communityCreationMode: "open", instanceName: "Our Chat" });
    expect((await call("POST", "/api/communities", bob.token, { name: "Bob's garden" })).status).toBe(201);
  });

  it("shows announcements to everyone until they are removed", async () => {
    const created = await call("POST", "/api/admin/announcements", admin.token, { body: "Maintenance on Sunday" });
    expect(created.status).toBe(201);
    const seen = await call("GET", "/api/announcements", carol.token);
    expect(seen.body.announcements.map((entry: { body: string }) => entry.body)).toContain("Maintenance on Sunday");
    expect((await call("DELETE", `/api/admin/announcements/${created.body.announcement.id}`, admin.token)).status).toBe(
      204,
    );
    expect((await call("GET", "/api/announcements", carol.token)).body.announcements).toEqual([]);
  });

  it("counts users, communities, channels and messages", async () => {
    const { body } = await call("GET", "/api/admin/stats", admin.token);
    // The community holds its #general channel.
    expect(body.stats).toMatchObject({ users: 3, communities: 1, channels: 1, messages: 0, messageBytes: 0 });
  });

  it("lets an instance admin open a DM with anyone, while people who share no community cannot", async () => {
    const dm = await call("POST", "/api/dms", admin.token, { userIds: [bob.id] });
    expect(dm.status, JSON.stringify(dm.body)).toBe(201);
    expect((await call("POST", "/api/dms", bob.token, { userIds: [admin.id] })).body.channel.id).toBe(
      dm.body.channel.id,
    );
    const strangers = await call("POST", "/api/dms", bob.token, { userIds: [carol.id] });
    expect(strangers.status).toBe(403);
    expect(strangers.body.error.code).toBe("no_shared_community");
  });

  it("gives an overview: health, counts, live sockets, registration mode and what to act on", async () => {
    const created = await call("POST", "/api/communities", admin.token, { name: "Overview" });
    const channels = await call("GET", `/api/communities/${created.body.community.id}/channels`, admin.token);
    const socket = await openSocket(admin.token, channels.body.channels[0].id);
    const { status, body } = await call("GET", "/api/admin/overview", admin.token);
    socket.close();
    expect(status).toBe(200);
    expect(body.health).toMatchObject({ status: "ok", db_healthy: true });
    expect(body.counts).toMatchObject({ users: expect.any(Number), communities: expect.any(Number) });
    expect(body.counts.databaseBytes).toBeGreaterThan(0);
    expect(body.live.sockets).toBeGreaterThanOrEqual(1);
    expect(body.live.activeRooms).toBeGreaterThanOrEqual(1);
    expect(body.registrationMode).toEqual(expect.any(String));
    // Nobody here has two-factor on: the overview says so.
    expect(body.warnings.map((warning: { code: string }) => warning.code)).toContain("no_admin_with_two_factor");
    await call("DELETE", `/api/admin/communities/${created.body.community.id}`, admin.token);
  });

  it("shows one person in detail: sessions, two-factor, communities", async () => {
    const { status, body } = await call("GET", `/api/admin/users/${bob.id}`, admin.token);
    expect(status).toBe(200);
    expect(body.user).toMatchObject({
      id: bob.id,
      username: "bob",
      hasTwoFactor: false,
      createdAt: expect.any(String),
    });
    expect(body.user.lastSeenAt).toEqual(expect.any(String));
    expect(body.sessions.length).toBeGreaterThanOrEqual(1);
    expect(body.sessions[0]).toEqual(
      expect.objectContaining({ id: expect.any(String), lastSeenAt: expect.any(String) }),
    );
    expect((await call("GET", `/api/admin/users/${crypto.randomUUID()}`, admin.token)).status).toBe(404);
  });

  it("lists communities with owner and sizes, hands one over and deletes one, each audited", async () => {
    const created = await call("POST", "/api/communities", admin.token, { name: "Handover" });
    const id = created.body.community.id;
    const invite = await call("POST", `/api/communities/${id}/invites`, admin.token, {});
    await call("POST", "/api/community-invites/accept", bob.token, { code: invite.body.code });
    const listed = await call("GET", "/api/admin/communities?search=handover", admin.token);
    expect(listed.body.communities).toEqual([
      expect.objectContaining({ id, name: "Handover", ownerName: "admin", members: 2, channels: 1 }),
    ]);
    expect(
      (await call("POST", `/api/admin/communities/${id}/transfer`, admin.token, { userId: carol.id })).status,
    ).toBe(404);
    expect((await call("POST", `/api/admin/communities/${id}/transfer`, admin.token, { userId: bob.id })).status).toBe(
      204,
    );
    expect((await call("GET", `/api/communities/${id}`, bob.token)).body.community.ownerId).toBe(bob.id);
    expect((await call("DELETE", `/api/admin/communities/${id}`, admin.token)).status).toBe(204);
    expect((await call("GET", `/api/communities/${id}`, bob.token)).status).toBe(404);
    const audit = await call("GET", "/api/admin/audit?action=community.deleted_by_admin", admin.token);
    expect(audit.body.events[0]).toMatchObject({ actorId: admin.id, targetUserId: bob.id });
  });

  it("never serves the admin code by another path, dot segments included", async () => {
    for (const path of ["/admin-assets/admin.js", "/x/../admin-assets/admin.js", "/./admin-assets/admin.js"]) {
      // node:http sends the path exactly as written (fetch would normalise it first).
      const status = await new Promise<number>((resolve, reject) => {
        const request = http.get({ host: "127.0.0.1", port: server.port, path }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on("error", reject);
      });
      expect(status, path).toBe(403);
    }
  });

  it("exports the audit log as CSV, with formula-looking cells defused", async () => {
    const response = await fetch(`${server.url}/api/auth/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": '=HYPERLINK("http://evil.example","x")' },
      body: JSON.stringify({ username: "dora", password: PASSWORD }),
    });
    expect(response.status).toBe(201);
    const csv = await fetch(`${server.url}/api/admin/audit.csv?action=user.registered`, {
      headers: { Authorization: `Bearer ${admin.token}` },
    });
    expect(csv.headers.get("Content-Type")).toContain("text/csv");
    const text = await csv.text();
    const [header, ...rows] = text.trim().split("\r\n");
    expect(header).toBe("id,at,action,actor_id,target_user_id,ip,user_agent,details");
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows.every((row) => row.includes(",user.registered,"))).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
  });

  it("keeps the top of the instance staffed: no deleting an owner of communities, no suspending the last admin", async () => {
    const owner = await call("DELETE", `/api/admin/users/${bob.id}`, admin.token);
    expect(owner.status).toBe(409);
    expect(owner.body.error.code).toBe("owns_communities");
    expect((await call("PUT", `/api/admin/users/${bob.id}/admin`, admin.token, { isAdmin: true })).status).toBe(200);
    expect((await elevate(bob)).status).toBe(200);
    // bob, an admin, suspends the other admin: allowed while bob remains; then nobody may suspend bob.
    expect((await call("POST", `/api/admin/users/${admin.id}/suspend`, bob.token, { reason: "test" })).status).toBe(
      200,
    );
    const last = await call("PUT", `/api/admin/users/${bob.id}/admin`, bob.token, { isAdmin: false });
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe("last_admin");
    expect((await call("POST", `/api/admin/users/${admin.id}/unsuspend`, bob.token)).status).toBe(200);
    expect((await call("PUT", `/api/admin/users/${bob.id}/admin`, bob.token, { isAdmin: false })).status).toBe(200);
  });

  it("deletes a user, whose access ends at once, and audits it with filters that find it", async () => {
    expect((await call("DELETE", `/api/admin/users/${carol.id}`, admin.token)).status).toBe(204);
    expect((await call("GET", "/api/me", carol.token)).status).toBe(401);
    const deletions = await call(
      "GET",
      `/api/admin/audit?action=user.deleted_by_admin&target=${carol.id}`,
      admin.token,
    );
    expect(deletions.body.events).toHaveLength(1);
    expect(deletions.body.events[0]).toMatchObject({ actorId: admin.id, targetUserId: carol.id });
    const byAdmin = await call("GET", `/api/admin/audit?actor=${admin.id}&limit=200`, admin.token);
    const actions = byAdmin.body.events.map((event: { action: string }) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "admin.granted",
        "admin.revoked",
        "settings.changed",
        "announcement.created",
        "user.deleted_by_admin",
      ]),
    );
    const none = await call("GET", `/api/admin/audit?from=${new Date(Date.now() + 60_000).toISOString()}`, admin.token);
    expect(none.body.events).toEqual([]);
  });
});
