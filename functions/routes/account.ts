/** /api/account: profile, password, recovery code, deletion, and one's own security log. */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import { changePasswordSchema, confirmSchema, newRecoveryCodeSchema, profileSchema } from "../../protocol/index.ts";
import { disconnectSockets } from "../../rooms/index.ts";
import { withPasswordCheck } from "../abuse.ts";
import { audit } from "../audit.ts";
import { refuseImpersonatingName } from "../display-names.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.ts";
import { removeDiscarded } from "../file-removal.ts";
import { limitBody, requireUser } from "../middleware.ts";
import { tellPersonChanged } from "../people-changes.ts";
import { refuseCommonPassword } from "../password-policy.ts";
import { hashPassword } from "../passwords.ts";
import { clearRefreshCookie } from "../refresh-cookie.ts";
import { hashCode, readableCode, RECOVERY_CODE_GROUPS } from "../secrets.ts";
import { confirmIdentity } from "../sign-in-checks.ts";
import { parse, parseJson } from "../validation.ts";
import { auditEventView, userView } from "../views.ts";
import { z } from "zod";

const auditQuerySchema = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const account = new Hono<AppEnv>()
  .use(requireUser)
  .get("/", async (c) => {
    const backupCodesLeft = await query(c.env.DATABASE, "unusedBackupCodeCount", { userId: c.get("userId") });
    return c.json({ user: userView(c.get("user")), backupCodesLeft });
  })
  .patch("/profile", limitBody, async (c) => {
    const profile = await parseJson(c, profileSchema);
    const empty = (value: string | null | undefined) => (value === "" ? null : value);
    if (profile.displayName)
      await refuseImpersonatingName(c.env.DATABASE, c.get("config"), c.get("user"), profile.displayName);
    const user = await query(c.env.DATABASE, "updateProfile", {
      userId: c.get("userId"),
      displayName: empty(profile.displayName),
      bio: empty(profile.bio),
      pronouns: empty(profile.pronouns),
    });
    await audit(c, "profile.updated");
    await tellPersonChanged(c, user.id, "profile");
    return c.json({ user: userView(user) });
  })
  .post("/password", limitBody, async (c) => {
    const input = await parseJson(c, changePasswordSchema);
    const user = c.get("user");
    // A stolen access token must not become a free password-guessing oracle: count failures.
    await confirmIdentity(c, { password: input.currentPassword, totpCode: undefined, requireSecondFactor: false });
    refuseCommonPassword(input.newPassword, user.username);
    await query(c.env.DATABASE, "setPasswordHash", {
      userId: user.id,
      passwordHash: await withPasswordCheck(c, true, () => hashPassword(c.env, input.newPassword)),
    });
    // Anyone who knew the old password may hold a session: end every other one.
    const revoked = await query(c.env.DATABASE, "revokeSessions", {
      userId: user.id,
      keepSessionId: c.get("sessionId"),
      reason: "password_changed",
    });
    await disconnectSockets(c.env, { userId: user.id, sessionIds: revoked, reason: "password changed" });
    await audit(c, "password.changed", { details: { sessionsRevoked: revoked.length } });
    return c.body(null, 204);
  })
  .post("/recovery-code", limitBody, async (c) => {
    // The client may choose the code (derived from its recovery key: one secret for the person).
    const { recoveryCode: chosen, ...proof } = await parseJson(c, newRecoveryCodeSchema);
    await confirmIdentity(c, proof);
    const recoveryCode = chosen ?? readableCode(RECOVERY_CODE_GROUPS);
    await query(c.env.DATABASE, "setRecoveryCodeHash", {
      userId: c.get("userId"),
      recoveryCodeHash: await hashCode(recoveryCode),
    });
    await audit(c, "recovery_code.regenerated");
    return c.json({ recoveryCode });
  })
  .delete("/", limitBody, async (c) => {
    await confirmIdentity(c, await parseJson(c, confirmSchema));
    const userId = c.get("userId");
    if ((await query(c.env.DATABASE, "ownedCommunityCount", { userId })) > 0) {
      throw new AppError(
        409,
        "owns_communities",
        "hand over or delete the communities you own before deleting your account",
      );
    }
    // Giving up admin first is the atomic last-admin check (it runs under the admins lock).
    if (
      c.get("user").isAdmin &&
      (await query(c.env.DATABASE, "setAdmin", { userId, isAdmin: false })) === "last_admin"
    ) {
      throw new AppError(
        409,
        "last_admin",
        "you are the only admin: make someone else an admin before deleting your account",
      );
    }
    const deleted = await query(c.env.DATABASE, "deleteUser", { userId });
    await removeDiscarded(c.env, { uploads: deleted.discarded, pictureIds: deleted.pictureIds });
    await disconnectSockets(c.env, { userId, sessionIds: "all", reason: "account deleted" });
    await audit(c, "user.deleted");
    clearRefreshCookie(c);
    return c.body(null, 204);
  })
  .get("/audit", async (c) => {
    const { before, limit } = parse(auditQuerySchema, c.req.query());
    const events = await query(c.env.DATABASE, "auditForUser", {
      userId: c.get("userId"),
      beforeId: before ?? null,
      limit,
    });
    // Someone else's address and browser (an admin acting on you) are theirs, not yours to see.
    const userId = c.get("userId");
    const own = (event: ReturnType<typeof auditEventView>) =>
      event.actorId && event.actorId !== userId ? { ...event, ip: null, userAgent: null } : event;
    return c.json({ events: events.map(auditEventView).map(own) });
  });
