/**
 * Moderation inside a community: kick, ban and unban, time out. Each checks the
 * permission and the hierarchy through `actOn`, and is written to the community's
 * audit log, readable by those who may manage the community (community-audit.ts).
 */
import { Hono, type Context } from "hono";
import { query } from "../../db/index.ts";
import { banSchema, moderationReasonSchema, timeoutSchema, uuidSchema } from "../../protocol/index.ts";
import type { BanView } from "../../protocol/moderation.ts";
import { actOn, communityAccess, requirePermission, type CommunityAccess } from "../community-access.ts";
import { publishAccessChange } from "../access-changes.ts";
import type { AppEnv } from "../context.ts";
import { AppError, notFound } from "../errors.ts";
import { limitBody } from "../middleware.ts";
import { parse, parseJson } from "../validation.ts";

const MINUTE_MS = 60_000;

/** The audit row a moderation query writes in its own transaction. */
function auditEntry(c: Context<AppEnv>, action: string, reason?: string, details?: Record<string, unknown>) {
  return { actorId: c.get("userId"), action, reason: reason ?? null, details };
}

export const communityModeration = new Hono<AppEnv>()
  .post("/:communityId/members/:userId/kick", limitBody, async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "KICK_MEMBERS", "remove members");
    const target = await actOn(c, access, c.req.param("userId"));
    const { reason } = await parseJson(c, moderationReasonSchema);
    const removed = await query(c.env.DATABASE, "removeMember", {
      communityId: access.record.community.id,
      userId: target.userId,
      audit: auditEntry(c, "member.kicked", reason),
    });
    if (removed === "owner") throw new AppError(403, "hierarchy", "nobody can remove the owner");
    await publishAccessChange(c, {
      kind: "member.kicked",
      communityId: access.record.community.id,
      userId: target.userId,
    });
    return c.body(null, 204);
  })
  .post("/:communityId/bans", limitBody, async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "BAN_MEMBERS", "ban people");
    const { userId, reason } = await parseJson(c, banSchema);
    const communityId = access.record.community.id;
    // A member must rank below the banner; someone who is not a member can be banned ahead of time.
    const isMember = await query(c.env.DATABASE, "memberContext", { communityId, userId });
    if (isMember) await actOn(c, access, userId);
    else if (userId === c.get("userId") || userId === access.record.community.ownerId)
      throw new AppError(403, "hierarchy", "you cannot ban that person");
    else if (!(await query(c.env.DATABASE, "userById", { id: userId }))) throw notFound("that user");
    const banned = await query(c.env.DATABASE, "banMember", {
      communityId,
      userId,
      bannedBy: c.get("userId"),
      reason: reason ?? null,
      audit: auditEntry(c, "member.banned", reason),
    });
    if (banned === "owner") throw new AppError(403, "hierarchy", "nobody can ban the owner");
    await publishAccessChange(c, { kind: "member.banned", communityId, userId });
    return c.body(null, 204);
  })
  .get("/:communityId/bans", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "BAN_MEMBERS", "see the bans");
    const bans = await query(c.env.DATABASE, "bansOf", { communityId: access.record.community.id });
    return c.json({
      bans: bans.map((ban): BanView => ({ ...ban, createdAt: new Date(ban.createdAt).toISOString() })),
    });
  })
  .delete("/:communityId/bans/:userId", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "BAN_MEMBERS", "lift bans");
    const userId = parse(uuidSchema, c.req.param("userId"));
    const audit = auditEntry(c, "member.unbanned");
    if (!(await query(c.env.DATABASE, "unbanMember", { communityId: access.record.community.id, userId, audit })))
      throw notFound("that ban");
    return c.body(null, 204);
  })
  .post("/:communityId/members/:userId/timeout", limitBody, async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "TIMEOUT_MEMBERS", "time members out");
    const target = await actOn(c, access, c.req.param("userId"));
    const { minutes, reason } = await parseJson(c, timeoutSchema);
    const until = new Date(Date.now() + minutes * MINUTE_MS);
    await query(c.env.DATABASE, "setMemberTimeout", {
      communityId: access.record.community.id,
      userId: target.userId,
      until,
      reason: reason ?? null,
      audit: auditEntry(c, "member.timed_out", reason, { until: until.toISOString() }),
    });
    await publishAccessChange(c, {
      kind: "member.timed_out",
      communityId: access.record.community.id,
      userId: target.userId,
      details: { until: until.toISOString() },
    });
    return c.json({ timedOutUntil: until.toISOString() });
  })
  .delete("/:communityId/members/:userId/timeout", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "TIMEOUT_MEMBERS", "lift time-outs");
    const target = await actOn(c, access, c.req.param("userId"));
    await query(c.env.DATABASE, "setMemberTimeout", {
      communityId: access.record.community.id,
      userId: target.userId,
      until: null,
      reason: null,
      audit: auditEntry(c, "member.timeout_lifted"),
    });
    await publishAccessChange(c, {
      kind: "member.timeout_lifted",
      communityId: access.record.community.id,
      userId: target.userId,
    });
    return c.body(null, 204);
  });
