/**
 * The bootstrap admin and what an admin does to accounts, against the production
 * server and a fresh database in invite_only mode. The server trusts 127.0.0.1 as
 * a proxy, so each person can have an address of their own (X-Forwarded-For).
 * One server and database for the whole file (each start costs seconds), so the file
 * is long: the cases share the admin, the invites and the people they create.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  call,
  generalChannel,
  oathtool,
  openChannelSocket,
  registerOn,
  signInOn,
  within,
  type Account,
} from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const PASSWORD = "correct horse battery staple";
const ADDRESSES = {
  admin: "198.51.100.1",
  bob: "198.51.100.2",
  carol: "198.51.100.3",
  dave: "198.51.100.4",
  erin: "198.51.100.5",
  frank: "198.51.100.6",
  grace: "198.51.100.7",
  heidi: "198.51.100.8",
  ivan: "198.51.100.9",
};

let database: TestDatabase;
let server: RunningServer;
let admin: Account;
let bob: Account;
/** #general of the admin's community, which bob joins. */
let generalId: string;

beforeAll(async () => {
  database = await createTestDatabase("accounts_admin");
  server = await startServer({
    databaseUrl: database.url,
    env: { REGISTRATION_MODE: "invite_only", TRUSTED_PROXIES: "127.0.0.1" },
  });
});

afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

const register = (username: keyof typeof ADDRESSES, inviteCode?: string) =>
  call(server, "/api/auth/register", {
    body: { username, password: PASSWORD, ...(inviteCode ? { inviteCode } : {}) },
    forwardedFor: ADDRESSES[username],
  });

async function createInvite(
  options: { maxUses?: number; expiresInHours?: number } = {},
): Promise<{ id: string; code: string; link: string }> {
  const response = await call(server, "/api/admin/invites", {
    token: admin.token,
    forwardedFor: ADDRESSES.admin,
    body: options,
  });
  expect(response.status, response.text).toBe(201);
  return { id: response.body.invite.id, code: response.body.code, link: response.body.link };
}

/** The admin's proof of re-authentication, which the actions handing over the instance want. */
let elevation = "";
const asAdmin = (path: string, body: unknown = {}, method = "POST") =>
  call(server, path, {
    method,
    token: admin.token,
    forwardedFor: ADDRESSES.admin,
    body,
    headers: { "X-Chatalot-Elevation": elevation },
  });

describe("in invite_only mode", () => {
  it("the account named ADMIN_USERNAME registers without an invite and becomes admin; nobody else gets in without one", async () => {
    const carol = await register("carol");
    expect(carol.status).toBe(403);
    expect(carol.body.error.code).toBe("invite_required");

    admin = await registerOn(server, "admin", PASSWORD, { forwardedFor: ADDRESSES.admin });
    expect(admin.isAdmin).toBe(true);
    const elevated = await call(server, "/api/admin/elevate", {
      token: admin.token,
      forwardedFor: ADDRESSES.admin,
      body: { password: PASSWORD },
    });
    expect(elevated.status, elevated.text).toBe(200);
    elevation = elevated.body.elevation;
    const mode = await call(server, "/api/admin/registration-mode", {
      token: admin.token,
      forwardedFor: ADDRESSES.admin,
    });
    expect(mode.body).toEqual({ mode: "invite_only" });
  });

  it("an invite with one use goes to exactly one of two people registering with it at the same moment", async () => {
    const invite = await createInvite({ maxUses: 1 });
    expect(invite.link).toBe(`${server.url}/register?invite=${invite.code}`);

    const [carol, dave] = await Promise.all([register("carol", invite.code), register("dave", invite.code)]);
    const statuses = [carol.status, dave.status].sort();
    expect(statuses, `${carol.text} / ${dave.text}`).toEqual([201, 403]);
    const loser = carol.status === 403 ? carol : dave;
    expect(loser.body.error.code).toBe("invalid_invite");

    const invites = await call(server, "/api/admin/invites", { token: admin.token, forwardedFor: ADDRESSES.admin });
    expect(invites.body.invites.find((row: { id: string }) => row.id === invite.id)).toMatchObject({
      uses: 1,
      maxUses: 1,
    });
  });

  it("an invite is only used once every other check has passed", async () => {
    const invite = await createInvite({ maxUses: 1 });
    const taken = await call(server, "/api/auth/register", {
      body: { username: "ADMIN", password: PASSWORD, inviteCode: invite.code },
      forwardedFor: ADDRESSES.heidi,
    });
    expect(taken.status).toBe(409);
    const common = await call(server, "/api/auth/register", {
      body: { username: "heidi", password: "password123", inviteCode: invite.code },
      forwardedFor: ADDRESSES.heidi,
    });
    expect(common.status).toBe(400);
    const invites = await call(server, "/api/admin/invites", { token: admin.token, forwardedFor: ADDRESSES.admin });
    expect(invites.body.invites.find((row: { id: string }) => row.id === invite.id).uses).toBe(0);
    expect((await register("heidi", invite.code)).status).toBe(201);
  });

  it("a revoked invite and an expired invite are refused", async () => {
    const revoked = await createInvite();
    const revoke = await call(server, `/api/admin/invites/${revoked.id}`, {
      method: "DELETE",
      token: admin.token,
      forwardedFor: ADDRESSES.admin,
    });
    expect(revoke.status).toBe(204);
    const withRevoked = await register("erin", revoked.code);
    expect(withRevoked.status).toBe(403);
    expect(withRevoked.body.error.code).toBe("invalid_invite");

    const expiring = await createInvite({ expiresInHours: 1 });
    // The clock is the outer boundary: move the expiry into the past rather than wait an hour.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query("update registration_invites set expires_at = now() - interval '1 minute' where id = $1", [
      expiring.id,
    ]);
    await client.end();
    const withExpired = await register("erin", expiring.code);
    expect(withExpired.status).toBe(403);
    expect(withExpired.body.error.code).toBe("invalid_invite");

    const invites = (await call(server, "/api/admin/invites", { token: admin.token, forwardedFor: ADDRESSES.admin }))
      .body.invites;
    expect(invites.find((row: { id: string }) => row.id === revoked.id).revokedAt).toEqual(expect.any(String));
    expect(invites.find((row: { id: string }) => row.id === expiring.id).uses).toBe(0);
  });
});

describe("an admin", () => {
  it("suspends bob: his open socket closes with 4001 at once, his next request is refused, and he cannot sign in until unsuspended", async () => {
    const invite = await createInvite();
    bob = await registerOn(server, "bob", PASSWORD, { inviteCode: invite.code, forwardedFor: ADDRESSES.bob });
    generalId = await generalChannel(server, admin, [bob], { forwardedFor: ADDRESSES.admin });
    const { closed } = await openChannelSocket(server, bob, generalId);

    const suspend = await asAdmin(`/api/admin/users/${bob.id}/suspend`, { reason: "spamming #general" });
    expect(suspend.status, suspend.text).toBe(200);
    expect(suspend.body.user.id).toBe(bob.id);

    expect((await within(closed, 5_000, "bob's socket to close")).code).toBe(4001);
    const me = await call(server, "/api/me", { token: bob.token });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe("session_ended");
    expect((await call(server, "/api/auth/refresh", { method: "POST", cookie: bob.cookie })).status).toBe(401);
    const signIn = await call(server, "/api/auth/login", {
      body: { username: "bob", password: PASSWORD },
      forwardedFor: ADDRESSES.bob,
    });
    expect(signIn.status).toBe(403);
    expect(signIn.body.error).toEqual({
      code: "account_suspended",
      message: expect.stringContaining("spamming #general"),
      requestId: signIn.headers.get("X-Request-Id"),
    });

    const ownAccount = await asAdmin(`/api/admin/users/${admin.id}/suspend`, { reason: "oops" });
    expect(ownAccount.status).toBe(400);

    expect((await asAdmin(`/api/admin/users/${bob.id}/unsuspend`)).status).toBe(200);
    bob = await signInOn(server, "bob", PASSWORD, { forwardedFor: ADDRESSES.bob });
  });

  it("suspends ivan, who then cannot get back in through account recovery either", async () => {
    const invite = await createInvite();
    const ivan = await registerOn(server, "ivan", PASSWORD, { inviteCode: invite.code, forwardedFor: ADDRESSES.ivan });
    expect((await asAdmin(`/api/admin/users/${ivan.id}/suspend`, { reason: "ban evasion" })).status).toBe(200);

    const recover = await call(server, "/api/auth/recover", {
      body: { username: "ivan", recoveryCode: ivan.recoveryCode, newPassword: "a new passphrase for later" },
      forwardedFor: ADDRESSES.ivan,
    });
    // Like signing in: refused while suspended, and nothing about the account changes.
    expect(recover.status, recover.text).toBe(403);
    expect(recover.body.error.code).toBe("account_suspended");
  });

  it("resets bob's two-factor authentication, so his password alone signs him in", async () => {
    const setup = await call(server, "/api/two-factor/setup", { method: "POST", token: bob.token });
    const enable = await call(server, "/api/two-factor/enable", {
      token: bob.token,
      body: { totpCode: oathtool(setup.body.secret), password: PASSWORD },
    });
    expect(enable.status, enable.text).toBe(200);
    const asked = await call(server, "/api/auth/login", {
      body: { username: "bob", password: PASSWORD },
      forwardedFor: ADDRESSES.bob,
    });
    expect(asked.body.error.code).toBe("two_factor_required");

    const reset = await asAdmin(`/api/admin/users/${bob.id}/reset-two-factor`);
    expect(reset.status).toBe(204);

    const session = await signInOn(server, "bob", PASSWORD, { forwardedFor: ADDRESSES.bob });
    const me = await call(server, "/api/me", { token: session.token });
    expect(me.body.user.hasTwoFactor).toBe(false);
    bob = session;
  });

  it("ends all of bob's sessions, closing his sockets", async () => {
    const second = await signInOn(server, "bob", PASSWORD, { forwardedFor: ADDRESSES.bob });
    const { closed } = await openChannelSocket(server, second, generalId);
    const response = await asAdmin(`/api/admin/users/${bob.id}/revoke-sessions`);
    expect(response.status).toBe(200);
    expect(response.body.revoked).toBeGreaterThanOrEqual(2);
    expect((await within(closed, 5_000, "bob's socket to close")).code).toBe(4001);
    for (const token of [bob.token, second.token]) expect((await call(server, "/api/me", { token })).status).toBe(401);
  });

  it("switches registration to open at runtime, letting anyone register, and to closed, stopping everyone", async () => {
    const open = await asAdmin("/api/admin/registration-mode", { mode: "open" }, "PUT");
    expect(open.body).toEqual({ mode: "open" });
    expect(
      (await call(server, "/api/admin/registration-mode", { token: admin.token, forwardedFor: ADDRESSES.admin })).body,
    ).toEqual({ mode: "open" });
    const frank = await register("frank");
    expect(frank.status, frank.text).toBe(201);

    expect((await asAdmin("/api/admin/registration-mode", { mode: "closed" }, "PUT")).status).toBe(200);
    const grace = await register("grace");
    expect(grace.status).toBe(403);
    expect(grace.body.error.code).toBe("registration_closed");
    const gracesInvite = await createInvite();
    expect((await register("grace", gracesInvite.code)).status).toBe(403);

    const unknownMode = await asAdmin("/api/admin/registration-mode", { mode: "wide_open" }, "PUT");
    expect(unknownMode.status).toBe(400);
    expect((await asAdmin("/api/admin/registration-mode", { mode: "invite_only" }, "PUT")).status).toBe(200);
  });

  it("leaves every one of these actions in the audit log, with the admin as actor, on the admin's log and bob's", async () => {
    const adminEvents = (
      await call(server, "/api/account/audit?limit=100", { token: admin.token, forwardedFor: ADDRESSES.admin })
    ).body.events as {
      action: string;
      actorId: string;
      targetUserId: string | null;
      ip: string;
      details: any;
    }[];
    const byAdmin = adminEvents.filter((event) => event.actorId === admin.id);
    const actions = byAdmin.map((event) => event.action);
    for (const action of [
      "invite.created",
      "invite.revoked",
      "user.suspended",
      "user.unsuspended",
      "totp.reset_by_admin",
      "admin.sessions_revoked",
      "registration_mode.changed",
    ]) {
      expect(actions, action).toContain(action);
    }
    for (const event of byAdmin) expect(event.ip).toBe(ADDRESSES.admin);
    expect(byAdmin.find((event) => event.action === "user.suspended" && event.targetUserId === bob.id)).toMatchObject({
      details: { reason: "spamming #general" },
    });
    expect(
      byAdmin.filter((event) => event.action === "registration_mode.changed").map((event) => event.details.mode),
    ).toEqual(["invite_only", "closed", "open"]);

    const bobNow = await signInOn(server, "bob", PASSWORD, { forwardedFor: ADDRESSES.bob });
    const bobEvents = (await call(server, "/api/account/audit?limit=100", { token: bobNow.token })).body.events as {
      action: string;
      actorId: string;
    }[];
    for (const action of ["user.suspended", "user.unsuspended", "totp.reset_by_admin", "admin.sessions_revoked"]) {
      expect(
        bobEvents.find((event) => event.action === action),
        action,
      ).toMatchObject({ actorId: admin.id });
    }
  });
});

describe("in closed mode", () => {
  it("only the bootstrap admin can register, once", async () => {
    const closedDatabase = await createTestDatabase("accounts_admin_closed");
    // One server at a time: the invite_only one has done its work.
    await server.stop();
    const closed = await startServer({
      databaseUrl: closedDatabase.url,
      env: { REGISTRATION_MODE: "closed", TRUSTED_PROXIES: "127.0.0.1" },
    });
    try {
      const attempt = (username: string, forwardedFor: string) =>
        call(closed, "/api/auth/register", { body: { username, password: PASSWORD }, forwardedFor });
      const carol = await attempt("carol", ADDRESSES.carol);
      expect(carol.status).toBe(403);
      expect(carol.body.error.code).toBe("registration_closed");
      const first = await attempt("Admin", ADDRESSES.admin);
      expect(first.status, first.text).toBe(201);
      expect(first.body.user.isAdmin).toBe(true);
      const again = await attempt("admin", ADDRESSES.dave);
      expect([403, 409]).toContain(again.status);
      expect((await attempt("dave", ADDRESSES.dave)).status).toBe(403);
    } finally {
      await closed.stop();
      await closedDatabase.stop();
    }
  });
});
