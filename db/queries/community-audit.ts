/**
 * Reading a community's audit log: newest first, a page at a time, narrowed by action
 * and by who acted, with the names of the people involved (they may have left since).
 */
import { and, asc, desc, eq, isNotNull, lt } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../db.ts";
import { communityAuditEvents, users } from "../schema.ts";

export interface CommunityAuditPageInput {
  communityId: string;
  beforeId: number | null;
  limit: number;
  action: string | null;
  actorId: string | null;
}

export async function communityAuditPage(db: Db, input: CommunityAuditPageInput) {
  const actor = alias(users, "actor");
  const target = alias(users, "target");
  const events = communityAuditEvents;
  return db
    .select({
      id: events.id,
      at: events.at,
      action: events.action,
      actorId: events.actorId,
      actorUsername: actor.username,
      actorDisplayName: actor.displayName,
      targetUserId: events.targetUserId,
      targetUsername: target.username,
      targetDisplayName: target.displayName,
      reason: events.reason,
      details: events.details,
    })
    .from(events)
    .leftJoin(actor, eq(actor.id, events.actorId))
    .leftJoin(target, eq(target.id, events.targetUserId))
    .where(
      and(
        eq(events.communityId, input.communityId),
        input.beforeId ? lt(events.id, input.beforeId) : undefined,
        input.action ? eq(events.action, input.action) : undefined,
        input.actorId ? eq(events.actorId, input.actorId) : undefined,
      ),
    )
    .orderBy(desc(events.id))
    .limit(input.limit);
}

/** Everyone who ever acted in the log, and the actions it holds: the choices of its filters. */
export async function communityAuditFacets(db: Db, input: { communityId: string }) {
  const events = communityAuditEvents;
  const actors = await db
    .selectDistinct({ userId: users.id, username: users.username, displayName: users.displayName })
    .from(events)
    .innerJoin(users, eq(users.id, events.actorId))
    .where(and(eq(events.communityId, input.communityId), isNotNull(events.actorId)))
    .orderBy(asc(users.username));
  const actions = await db
    .selectDistinct({ action: events.action })
    .from(events)
    .where(eq(events.communityId, input.communityId))
    .orderBy(asc(events.action));
  return { actors, actions: actions.map((row) => row.action) };
}
