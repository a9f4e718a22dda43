/**
 * /api/admin: instance administration, for instance admins only (403 otherwise),
 * every change audited: users (search, suspend, delete, admin rights, two-factor
 * reset, sessions), registration invites and mode, instance settings,
 * announcements, statistics, and the instance audit log.
 */
import { Hono, type Context } from "hono";
import { query, type UserRecord } from "../../db/index.ts";
import {
  adminAuditQuerySchema,
  confirmSchema,
  announcementSchema,
  createInviteSchema,
  instanceSettingsSchema,
  registrationModeSchema,
  setAdminSchema,
  suspendSchema,
  userSearchSchema,
  uuidSchema,
} from "../../protocol/index.ts";
import { instanceSettings } from "../instance-settings.ts";
import { adminConsole } from "./admin-console.ts";
import { disconnectSockets } from "../../rooms/index.ts";
import { audit } from "../audit.ts";
import type { AppEnv } from "../context.ts";
import { AppError, notFound } from "../errors.ts";
import { removeDiscarded } from "../file-removal.ts";
import {
  limitBody,
  refuseWithoutRecentAuthentication,
  requireAdmin,
  requireRecentAuthentication,
  requireUser,
} from "../middleware.ts";
import { confirmIdentity } from "../sign-in-checks.ts";
import { issueElevation } from "../tokens.ts";
import { registrationMode } from "../registration-mode.ts";
import { hashCode, INVITE_CODE_GROUPS, readableCode } from "../secrets.ts";
import { parse, parseJson } from "../validation.ts";
import { auditEventView, inviteView, userView } from "../views.ts";

const HOUR_MS = 60 * 60 * 1000;

async function targetUser(c: Context<AppEnv>): Promise<UserRecord> {
  const id = uuidSchema.safeParse(c.req.param("userId"));
  const user = id.success ? await query(c.env.DATABASE, "userById", { id: id.data }) : null;
  if (!user || user.deletedAt) throw notFound("that user");
  return user;
}

export const admin = new Hono<AppEnv>()
  .use(requireUser, requireAdmin)
  .get("/registration-mode", async (c) => c.json({ mode: await registrationMode(c) }))
  // Sudo mode: the password (and code, with two-factor on) buys ten minutes of the actions below
  // that need it. Failures count toward the account's lockout like a sign-in's.
  .post("/elevate", limitBody, async (c) => {
    const proof = await parseJson(c, confirmSchema);
    await confirmIdentity(c, { password: proof.password, totpCode: proof.totpCode });
    const { token, expiresAt } = await issueElevation(c.get("config"), {
      userId: c.get("userId"),
      sessionId: c.get("sessionId"),
    });
    await audit(c, "admin.reauthenticated");
    return c.json({ elevation: token, expiresAt: expiresAt.toISOString() });
  })
  .put("/registration-mode", requireRecentAuthentication, limitBody, async (c) => {
    const { mode } = await parseJson(c, registrationModeSchema);
    await query(c.env.DATABASE, "setRegistrationMode", { mode });
    await audit(c, "registration_mode.changed", { targetUserId: null, details: { mode } });
    return c.json({ mode });
  })
  .post("/invites", limitBody, async (c) => {
    const input = await parseJson(c, createInviteSchema);
    const code = readableCode(INVITE_CODE_GROUPS);
    const invite = await query(c.env.DATABASE, "createInvite", {
      codeHash: await hashCode(code),
      createdBy: c.get("userId"),
      expiresAt: input.expiresInHours ? new Date(Date.now() + input.expiresInHours * HOUR_MS) : null,
      maxUses: input.maxUses ?? null,
    });
    await audit(c, "invite.created", { targetUserId: null, details: { inviteId: invite.id, maxUses: invite.maxUses } });
    // The code is shown once; only its hash is stored.
    return c.json(
      { invite: inviteView(invite), code, link: `${c.get("config").PUBLIC_URL}/register?invite=${code}` },
      201,
    );
  })
  .get("/invites", async (c) => {
    const invites = await query(c.env.DATABASE, "allInvites", { limit: 200 });
    return c.json({ invites: invites.map(inviteView) });
  })
  .delete("/invites/:inviteId", async (c) => {
    const id = parse(uuidSchema, c.req.param("inviteId"));
    if (!(await query(c.env.DATABASE, "revokeInvite", { id }))) throw notFound("that invite");
    await audit(c, "invite.revoked", { targetUserId: null, details: { inviteId: id } });
    return c.body(null, 204);
  })
  .post("/users/:userId/suspend", limitBody, async (c) => {
    const target = await targetUser(c);
    if (target.id === c.get("userId"))
      throw new AppError(400, "cannot_suspend_self", "you cannot suspend your own account");
    const { reason } = await parseJson(c, suspendSchema);
    // Suspending an admin hands the instance to the others: a stolen token alone must not.
    if (target.isAdmin) await refuseWithoutRecentAuthentication(c);
    const user = await query(c.env.DATABASE, "setSuspension", { userId: target.id, suspended: true, reason });
    if (user === "last_admin") throw new AppError(409, "last_admin", "the last active admin cannot be suspended");
    await disconnectSockets(c.env, { userId: target.id, sessionIds: "all", reason: "account suspended" });
    await audit(c, "user.suspended", { targetUserId: target.id, details: { reason } });
    return c.json({ user: userView(user!) });
  })
  .post("/users/:userId/unsuspend", async (c) => {
    const target = await targetUser(c);
    const user = await query(c.env.DATABASE, "setSuspension", { userId: target.id, suspended: false, reason: null });
    if (!user || user === "last_admin") throw notFound("that user");
    await audit(c, "user.unsuspended", { targetUserId: target.id });
    return c.json({ user: userView(user) });
  })
  .post("/users/:userId/reset-two-factor", requireRecentAuthentication, async (c) => {
    const target = await targetUser(c);
    await query(c.env.DATABASE, "disableTotp", { userId: target.id });
    await audit(c, "totp.reset_by_admin", { targetUserId: target.id });
    return c.body(null, 204);
  })
  .get("/users", async (c) => {
    const { search, after, limit } = parse(userSearchSchema, c.req.query());
    const found = await query(c.env.DATABASE, "searchUsers", { search: search || null, after: after ?? null, limit });
    const storage = await query(c.env.DATABASE, "storageOfUsers", { userIds: found.map((user) => user.id) });
    return c.json({
      users: found.map((user) => ({
        ...userView(user),
        storageBytes: storage[user.id] ?? 0,
        createdAt: new Date(user.createdAt).toISOString(),
        suspendedAt: user.suspendedAt ? new Date(user.suspendedAt).toISOString() : null,
        suspensionReason: user.suspensionReason,
      })),
      next: found.length === limit ? found.at(-1)!.username : null,
    });
  })
  .delete("/users/:userId", requireRecentAuthentication, async (c) => {
    const target = await targetUser(c);
    if (target.id === c.get("userId"))
      throw new AppError(400, "use_account_deletion", "delete your own account from your settings");
    if ((await query(c.env.DATABASE, "ownedCommunityCount", { userId: target.id })) > 0) {
      throw new AppError(409, "owns_communities", "that person owns communities: transfer or delete them first");
    }
    if (target.isAdmin) {
      const demoted = await query(c.env.DATABASE, "setAdmin", { userId: target.id, isAdmin: false });
      if (demoted === "last_admin") throw new AppError(409, "last_admin", "the last admin cannot be deleted");
    }
    const deleted = await query(c.env.DATABASE, "deleteUser", { userId: target.id });
    await removeDiscarded(c.env, { uploads: deleted.discarded, pictureIds: deleted.pictureIds });
    await disconnectSockets(c.env, { userId: target.id, sessionIds: "all", reason: "account deleted" });
    await audit(c, "user.deleted_by_admin", { targetUserId: target.id });
    return c.body(null, 204);
  })
  .put("/users/:userId/admin", requireRecentAuthentication, limitBody, async (c) => {
    const target = await targetUser(c);
    const { isAdmin } = await parseJson(c, setAdminSchema);
    const result = await query(c.env.DATABASE, "setAdmin", { userId: target.id, isAdmin });
    if (result === "last_admin")
      throw new AppError(
        409,
        "last_admin",
        "the last admin cannot lose admin rights: make someone else an admin first",
      );
    await audit(c, isAdmin ? "admin.granted" : "admin.revoked", { targetUserId: target.id });
    return c.json({ user: userView({ ...target, isAdmin }) });
  })
  .get("/settings", async (c) => c.json({ settings: await instanceSettings(c) }))
  .patch("/settings", limitBody, async (c) => {
    const input = await parseJson(c, instanceSettingsSchema);
    const keys = {
      instanceName: "instance_name",
      communityCreationMode: "community_creation_mode",
      uploadMaxBytes: "upload_max_bytes",
    } as const;
    for (const [field, key] of Object.entries(keys)) {
      const value = input[field as keyof typeof keys];
      if (value !== undefined) await query(c.env.DATABASE, "setInstanceSetting", { key, value });
    }
    await audit(c, "settings.changed", { targetUserId: null, details: input });
    return c.json({ settings: await instanceSettings(c) });
  })
  .get("/stats", async (c) => c.json({ stats: await query(c.env.DATABASE, "instanceStatistics", {}) }))
  .post("/announcements", limitBody, async (c) => {
    const { body, expiresInHours } = await parseJson(c, announcementSchema);
    const announcement = await query(c.env.DATABASE, "createAnnouncement", {
      body,
      createdBy: c.get("userId"),
      expiresAt: expiresInHours ? new Date(Date.now() + expiresInHours * HOUR_MS) : null,
    });
    await audit(c, "announcement.created", { targetUserId: null, details: { announcementId: announcement.id } });
    return c.json({ announcement }, 201);
  })
  .delete("/announcements/:announcementId", async (c) => {
    const id = parse(uuidSchema, c.req.param("announcementId"));
    if (!(await query(c.env.DATABASE, "deleteAnnouncement", { id }))) throw notFound("that announcement");
    await audit(c, "announcement.deleted", { targetUserId: null, details: { announcementId: id } });
    return c.body(null, 204);
  })
  .get("/audit", async (c) => {
    const filter = parse(adminAuditQuerySchema, c.req.query());
    const events = await query(c.env.DATABASE, "instanceAudit", {
      actorId: filter.actor ?? null,
      action: filter.action ?? null,
      targetUserId: filter.target ?? null,
      from: filter.from ? new Date(filter.from) : null,
      to: filter.to ? new Date(filter.to) : null,
      beforeId: filter.before ?? null,
      limit: filter.limit,
    });
    return c.json({ events: events.map(auditEventView) });
  })
  .post("/users/:userId/revoke-sessions", async (c) => {
    const target = await targetUser(c);
    if (target.isAdmin && target.id !== c.get("userId")) await refuseWithoutRecentAuthentication(c);
    const revoked = await query(c.env.DATABASE, "revokeSessions", {
      userId: target.id,
      keepSessionId: null,
      reason: "revoked_by_admin",
    });
    await disconnectSockets(c.env, { userId: target.id, sessionIds: "all", reason: "sessions revoked by an admin" });
    await audit(c, "admin.sessions_revoked", { targetUserId: target.id, details: { count: revoked.length } });
    return c.json({ revoked: revoked.length });
  })
  .route("/", adminConsole);
