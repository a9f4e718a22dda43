/**
 * /api/admin: what instance admins need for accounts now (invites, the registration
 * mode, suspension, resetting two-factor, ending a user's sessions). Every action is
 * audited. The full admin API grows with the communities issue.
 */
import { Hono, type Context } from "hono";
import { query, type UserRecord } from "../../db/index.ts";
import { createInviteSchema, registrationModeSchema, suspendSchema, uuidSchema } from "../../protocol/index.ts";
import { disconnectSockets } from "../../rooms/index.ts";
import { audit } from "../audit.ts";
import type { AppEnv } from "../context.ts";
import { AppError, notFound } from "../errors.ts";
import { limitBody, requireAdmin, requireUser } from "../middleware.ts";
import { registrationMode } from "../registration-mode.ts";
import { hashCode, INVITE_CODE_GROUPS, readableCode } from "../secrets.ts";
import { parse, parseJson } from "../validation.ts";
import { inviteView, userView } from "../views.ts";

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
  .put("/registration-mode", limitBody, async (c) => {
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
    const user = await query(c.env.DATABASE, "setSuspension", { userId: target.id, suspended: true, reason });
    await disconnectSockets(c.env, { userId: target.id, sessionIds: "all", reason: "account suspended" });
    await audit(c, "user.suspended", { targetUserId: target.id, details: { reason } });
    return c.json({ user: userView(user!) });
  })
  .post("/users/:userId/unsuspend", async (c) => {
    const target = await targetUser(c);
    const user = await query(c.env.DATABASE, "setSuspension", { userId: target.id, suspended: false, reason: null });
    await audit(c, "user.unsuspended", { targetUserId: target.id });
    return c.json({ user: userView(user!) });
  })
  .post("/users/:userId/reset-two-factor", async (c) => {
    const target = await targetUser(c);
    await query(c.env.DATABASE, "disableTotp", { userId: target.id });
    await audit(c, "totp.reset_by_admin", { targetUserId: target.id });
    return c.body(null, 204);
  })
  .post("/users/:userId/revoke-sessions", async (c) => {
    const target = await targetUser(c);
    const revoked = await query(c.env.DATABASE, "revokeSessions", {
      userId: target.id,
      keepSessionId: null,
      reason: "revoked_by_admin",
    });
    await disconnectSockets(c.env, { userId: target.id, sessionIds: "all", reason: "sessions revoked by an admin" });
    await audit(c, "admin.sessions_revoked", { targetUserId: target.id, details: { count: revoked.length } });
    return c.json({ revoked: revoked.length });
  });
