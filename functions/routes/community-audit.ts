/**
 * GET /api/communities/:id/audit: the community's audit log for those who manage it,
 * newest first, a page at a time (`before` the oldest id shown), narrowed by action and
 * by who acted; /audit/filters lists the choices those filters offer.
 */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import {
  communityAuditQuerySchema,
  type AuditPersonView,
  type CommunityAuditFilters,
  type CommunityAuditPage,
} from "../../protocol/index.ts";
import { communityAccess, requirePermission } from "../community-access.ts";
import type { AppEnv } from "../context.ts";
import { parse } from "../validation.ts";

const person = (userId: string | null, username: string | null, displayName: string | null): AuditPersonView | null =>
  userId && username ? { userId, username, displayName } : null;

export const communityAudit = new Hono<AppEnv>()
  .get("/:communityId/audit", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_COMMUNITY", "read the audit log");
    const { before, limit, action, actorId } = parse(communityAuditQuerySchema, c.req.query());
    // One more than asked for says whether an older page exists.
    const rows = await query(c.env.DATABASE, "communityAuditPage", {
      communityId: access.record.community.id,
      beforeId: before ?? null,
      limit: limit + 1,
      action: action ?? null,
      actorId: actorId ?? null,
    });
    const page: CommunityAuditPage = {
      events: rows.slice(0, limit).map((row) => ({
        id: row.id,
        at: new Date(row.at).toISOString(),
        action: row.action,
        actorId: row.actorId,
        targetUserId: row.targetUserId,
        actor: person(row.actorId, row.actorUsername, row.actorDisplayName),
        target: person(row.targetUserId, row.targetUsername, row.targetDisplayName),
        reason: row.reason,
        details: (row.details as Record<string, unknown> | null) ?? null,
      })),
      hasMore: rows.length > limit,
    };
    return c.json(page);
  })
  .get("/:communityId/audit/filters", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_COMMUNITY", "read the audit log");
    const filters: CommunityAuditFilters = await query(c.env.DATABASE, "communityAuditFacets", {
      communityId: access.record.community.id,
    });
    return c.json(filters);
  });
