/** Removing, banning and timing out members, and the community audit log that records it. */
import { and, desc, eq, lt } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../db.ts";
import { communityAuditEvents, communityBans, communityMembers, memberRoles, roles, users } from "../schema.ts";
import { lockMembership } from "./membership-lock.ts";

/**
 * The audit row of a moderation action, written in the action's own transaction: a
 * change is never committed without its record, nor recorded without being made.
 */
export interface CommunityAuditEntry {
  actorId: string;
  action: string;
  reason: string | null;
  details?: Record<string, unknown>;
}

async function recordInside(tx: Db, communityId: string, targetUserId: string, audit: CommunityAuditEntry | undefined) {
  if (!audit) return;
  await tx.insert(communityAuditEvents).values({ communityId, targetUserId, ...audit, details: audit.details ?? null });
}

/**
 * Removes a member and their roles (leaving, or being kicked). "owner" when they own
 * the community (checked under the lock, so a transfer racing it cannot strand it).
 */
export async function removeMember(
  db: Db,
  input: { communityId: string; userId: string; audit?: CommunityAuditEntry },
): Promise<"removed" | "not_member" | "owner"> {
  return db.transaction(async (tx) => {
    const community = await lockMembership(tx as unknown as Db, input.communityId, input.userId);
    if (community?.ownerId === input.userId) return "owner";
    await tx
      .delete(memberRoles)
      .where(and(eq(memberRoles.communityId, input.communityId), eq(memberRoles.userId, input.userId)));
    const removed = await tx
      .delete(communityMembers)
      .where(and(eq(communityMembers.communityId, input.communityId), eq(communityMembers.userId, input.userId)))
      .returning({ userId: communityMembers.userId });
    if (removed.length === 0) return "not_member";
    await recordInside(tx as unknown as Db, input.communityId, input.userId, input.audit);
    return "removed";
  });
}

export async function banMember(
  db: Db,
  input: { communityId: string; userId: string; bannedBy: string; reason: string | null; audit: CommunityAuditEntry },
): Promise<"banned" | "owner"> {
  const { audit, ...ban } = input;
  return db.transaction(async (tx) => {
    const community = await lockMembership(tx as unknown as Db, input.communityId, input.userId);
    if (community?.ownerId === input.userId) return "owner";
    await tx
      .insert(communityBans)
      .values(ban)
      .onConflictDoUpdate({
        target: [communityBans.communityId, communityBans.userId],
        set: { reason: input.reason, bannedBy: input.bannedBy },
      });
    await tx
      .delete(memberRoles)
      .where(and(eq(memberRoles.communityId, input.communityId), eq(memberRoles.userId, input.userId)));
    await tx
      .delete(communityMembers)
      .where(and(eq(communityMembers.communityId, input.communityId), eq(communityMembers.userId, input.userId)));
    await recordInside(tx as unknown as Db, input.communityId, input.userId, audit);
    return "banned";
  });
}

export async function unbanMember(
  db: Db,
  input: { communityId: string; userId: string; audit: CommunityAuditEntry },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(communityBans)
      .where(and(eq(communityBans.communityId, input.communityId), eq(communityBans.userId, input.userId)))
      .returning({ userId: communityBans.userId });
    if (removed.length === 0) return false;
    await recordInside(tx as unknown as Db, input.communityId, input.userId, input.audit);
    return true;
  });
}

/** The community's bans, newest first, with who was banned and by whom (by name: the list shows them). */
export async function bansOf(db: Db, input: { communityId: string }) {
  const banner = alias(users, "banner");
  return db
    .select({
      userId: communityBans.userId,
      username: users.username,
      displayName: users.displayName,
      reason: communityBans.reason,
      bannedBy: communityBans.bannedBy,
      bannedByName: banner.username,
      createdAt: communityBans.createdAt,
    })
    .from(communityBans)
    .innerJoin(users, eq(users.id, communityBans.userId))
    .leftJoin(banner, eq(banner.id, communityBans.bannedBy))
    .where(eq(communityBans.communityId, input.communityId))
    .orderBy(desc(communityBans.createdAt));
}

/**
 * Times a member out until `until` with the reason given, or (until null) lifts the
 * time-out and forgets its reason. False when they are not a member.
 */
export async function setMemberTimeout(
  db: Db,
  input: { communityId: string; userId: string; until: Date | null; reason: string | null; audit: CommunityAuditEntry },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(communityMembers)
      .set({ timedOutUntil: input.until, timeoutReason: input.until ? input.reason : null })
      .where(and(eq(communityMembers.communityId, input.communityId), eq(communityMembers.userId, input.userId)))
      .returning({ userId: communityMembers.userId });
    if (updated.length === 0) return false;
    await recordInside(tx as unknown as Db, input.communityId, input.userId, input.audit);
    return true;
  });
}

export async function recordCommunityAudit(
  db: Db,
  input: {
    communityId: string;
    actorId: string;
    action: string;
    targetUserId: string | null;
    reason: string | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db.insert(communityAuditEvents).values({ ...input, details: input.details ?? null });
}

export async function communityAudit(db: Db, input: { communityId: string; beforeId: number | null; limit: number }) {
  return db
    .select()
    .from(communityAuditEvents)
    .where(
      and(
        eq(communityAuditEvents.communityId, input.communityId),
        input.beforeId ? lt(communityAuditEvents.id, input.beforeId) : undefined,
      ),
    )
    .orderBy(desc(communityAuditEvents.id))
    .limit(input.limit);
}
