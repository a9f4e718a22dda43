/**
 * Communities, their members and roles. Everything a member may see is loaded
 * through their membership (`memberContext`), so a non-member finds nothing.
 */
import { and, asc, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import {
  communities,
  communityAuditEvents,
  communityBans,
  communityInvites,
  communityMembers,
  memberRoles,
  roles,
  users,
} from "../schema.ts";

export type CommunityRecord = typeof communities.$inferSelect;
export type RoleRecord = typeof roles.$inferSelect;

export interface MemberContextRecord {
  community: CommunityRecord;
  everyone: RoleRecord;
  roles: RoleRecord[];
  timedOutUntil: Date | null;
}

export async function createCommunity(
  db: Db,
  input: { name: string; description: string | null; ownerId: string; everyonePermissions: number },
): Promise<CommunityRecord> {
  return db.transaction(async (tx) => {
    const [community] = await tx
      .insert(communities)
      .values({ name: input.name, description: input.description, ownerId: input.ownerId })
      .returning();
    await tx.insert(roles).values({
      communityId: community!.id,
      name: "@everyone",
      position: 0,
      permissions: input.everyonePermissions,
      isEveryone: true,
    });
    await tx.insert(communityMembers).values({ communityId: community!.id, userId: input.ownerId });
    return community!;
  });
}

export async function communitiesForUser(db: Db, input: { userId: string }): Promise<CommunityRecord[]> {
  const rows = await db
    .select({ community: communities })
    .from(communityMembers)
    .innerJoin(communities, eq(communities.id, communityMembers.communityId))
    .where(eq(communityMembers.userId, input.userId))
    .orderBy(asc(communities.name));
  return rows.map((row) => row.community);
}

/** The user's standing in a community, or null when they are not a member. */
export async function memberContext(
  db: Db,
  input: { communityId: string; userId: string },
): Promise<MemberContextRecord | null> {
  const [membership] = await db
    .select({ community: communities, timedOutUntil: communityMembers.timedOutUntil })
    .from(communityMembers)
    .innerJoin(communities, eq(communities.id, communityMembers.communityId))
    .where(and(eq(communityMembers.communityId, input.communityId), eq(communityMembers.userId, input.userId)));
  if (!membership) return null;
  const all = await db.select().from(roles).where(eq(roles.communityId, input.communityId));
  const held = new Set(
    (
      await db
        .select({ roleId: memberRoles.roleId })
        .from(memberRoles)
        .where(and(eq(memberRoles.communityId, input.communityId), eq(memberRoles.userId, input.userId)))
    ).map((row) => row.roleId),
  );
  return {
    community: membership.community,
    everyone: all.find((role) => role.isEveryone)!,
    roles: all.filter((role) => held.has(role.id)),
    timedOutUntil: membership.timedOutUntil,
  };
}

export async function membersOf(
  db: Db,
  input: { communityId: string; limit: number },
): Promise<{ userId: string; username: string; joinedAt: Date; timedOutUntil: Date | null; roleIds: string[] }[]> {
  const rows = await db
    .select({
      userId: communityMembers.userId,
      username: users.username,
      joinedAt: communityMembers.joinedAt,
      timedOutUntil: communityMembers.timedOutUntil,
    })
    .from(communityMembers)
    .innerJoin(users, eq(users.id, communityMembers.userId))
    .where(eq(communityMembers.communityId, input.communityId))
    .orderBy(asc(sql`lower(${users.username})`))
    .limit(input.limit);
  const assignments = await db.select().from(memberRoles).where(eq(memberRoles.communityId, input.communityId));
  return rows.map((row) => ({
    ...row,
    roleIds: assignments
      .filter((assignment) => assignment.userId === row.userId)
      .map((assignment) => assignment.roleId),
  }));
}

export async function updateCommunity(
  db: Db,
  input: { communityId: string; name?: string; description?: string | null },
): Promise<CommunityRecord> {
  const { communityId, ...changes } = input;
  const [community] = await db.update(communities).set(changes).where(eq(communities.id, communityId)).returning();
  return community!;
}

export async function deleteCommunity(db: Db, input: { communityId: string }): Promise<void> {
  await db.delete(communities).where(eq(communities.id, input.communityId));
}

/**
 * Locks the community row and the member's row for the rest of the transaction, so
 * ownership, membership and bans of one person change one at a time.
 */
async function lockMembership(db: Db, communityId: string, userId: string) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`chatalot.member:${communityId}:${userId}`}))`);
  const [community] = await db.select().from(communities).where(eq(communities.id, communityId)).for("update");
  return community;
}

/** Hands the community to another member; false if they are not a member. */
export async function transferOwnership(db: Db, input: { communityId: string; newOwnerId: string }): Promise<boolean> {
  return db.transaction(async (tx) => {
    await lockMembership(tx as unknown as Db, input.communityId, input.newOwnerId);
    const [member] = await tx
      .select()
      .from(communityMembers)
      .where(and(eq(communityMembers.communityId, input.communityId), eq(communityMembers.userId, input.newOwnerId)));
    if (!member) return false;
    await tx.update(communities).set({ ownerId: input.newOwnerId }).where(eq(communities.id, input.communityId));
    return true;
  });
}

/**
 * Removes a member and their roles (leaving, or being kicked). "owner" when they own
 * the community (checked under the lock, so a transfer racing it cannot strand it).
 */
export async function removeMember(
  db: Db,
  input: { communityId: string; userId: string },
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
    return removed.length > 0 ? "removed" : "not_member";
  });
}

export async function banMember(
  db: Db,
  input: { communityId: string; userId: string; bannedBy: string; reason: string | null },
): Promise<"banned" | "owner"> {
  return db.transaction(async (tx) => {
    const community = await lockMembership(tx as unknown as Db, input.communityId, input.userId);
    if (community?.ownerId === input.userId) return "owner";
    await tx
      .insert(communityBans)
      .values(input)
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
    return "banned";
  });
}

export async function unbanMember(db: Db, input: { communityId: string; userId: string }): Promise<boolean> {
  const removed = await db
    .delete(communityBans)
    .where(and(eq(communityBans.communityId, input.communityId), eq(communityBans.userId, input.userId)))
    .returning({ userId: communityBans.userId });
  return removed.length > 0;
}

export async function bansOf(db: Db, input: { communityId: string }) {
  return db
    .select({
      userId: communityBans.userId,
      username: users.username,
      reason: communityBans.reason,
      bannedBy: communityBans.bannedBy,
      createdAt: communityBans.createdAt,
    })
    .from(communityBans)
    .innerJoin(users, eq(users.id, communityBans.userId))
    .where(eq(communityBans.communityId, input.communityId))
    .orderBy(desc(communityBans.createdAt));
}

export async function setMemberTimeout(
  db: Db,
  input: { communityId: string; userId: string; until: Date | null },
): Promise<boolean> {
  const updated = await db
    .update(communityMembers)
    .set({ timedOutUntil: input.until })
    .where(and(eq(communityMembers.communityId, input.communityId), eq(communityMembers.userId, input.userId)))
    .returning({ userId: communityMembers.userId });
  return updated.length > 0;
}

export async function createCommunityInvite(
  db: Db,
  input: { communityId: string; codeHash: string; createdBy: string; expiresAt: Date | null; maxUses: number | null },
) {
  const [invite] = await db.insert(communityInvites).values(input).returning();
  return invite!;
}

export async function communityInvitesOf(db: Db, input: { communityId: string }) {
  return db
    .select()
    .from(communityInvites)
    .where(eq(communityInvites.communityId, input.communityId))
    .orderBy(desc(communityInvites.createdAt));
}

export async function revokeCommunityInvite(
  db: Db,
  input: { communityId: string; inviteId: string },
): Promise<boolean> {
  const revoked = await db
    .update(communityInvites)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(communityInvites.id, input.inviteId),
        eq(communityInvites.communityId, input.communityId),
        isNull(communityInvites.revokedAt),
      ),
    )
    .returning({ id: communityInvites.id });
  return revoked.length > 0;
}

export type AcceptInviteResult =
  | { ok: true; community: CommunityRecord; isAlreadyMember: boolean }
  | { ok: false; reason: "invalid_invite" | "banned" };

/**
 * Joins through an invite. A banned user is refused and an existing member is let
 * through, both without spending a use; otherwise the use is counted atomically.
 */
export async function acceptCommunityInvite(
  db: Db,
  input: { codeHash: string; userId: string },
): Promise<AcceptInviteResult> {
  return db.transaction(async (tx) => {
    const [invite] = await tx.select().from(communityInvites).where(eq(communityInvites.codeHash, input.codeHash));
    if (!invite) return { ok: false, reason: "invalid_invite" } as const;
    // Serialized with a ban of the same person, so a ban cannot lose to an accept in flight.
    await lockMembership(tx as unknown as Db, invite.communityId, input.userId);
    const [ban] = await tx
      .select()
      .from(communityBans)
      .where(and(eq(communityBans.communityId, invite.communityId), eq(communityBans.userId, input.userId)));
    if (ban) return { ok: false, reason: "banned" } as const;
    const [community] = await tx.select().from(communities).where(eq(communities.id, invite.communityId));
    const [member] = await tx
      .select()
      .from(communityMembers)
      .where(and(eq(communityMembers.communityId, invite.communityId), eq(communityMembers.userId, input.userId)));
    if (member) return { ok: true, community: community!, isAlreadyMember: true } as const;
    const [used] = await tx
      .update(communityInvites)
      .set({ uses: sql`${communityInvites.uses} + 1` })
      .where(
        and(
          eq(communityInvites.id, invite.id),
          isNull(communityInvites.revokedAt),
          or(isNull(communityInvites.expiresAt), gt(communityInvites.expiresAt, sql`now()`)),
          or(isNull(communityInvites.maxUses), lt(communityInvites.uses, communityInvites.maxUses)),
        ),
      )
      .returning({ id: communityInvites.id });
    if (!used) return { ok: false, reason: "invalid_invite" } as const;
    await tx
      .insert(communityMembers)
      .values({ communityId: invite.communityId, userId: input.userId })
      .onConflictDoNothing();
    return { ok: true, community: community!, isAlreadyMember: false } as const;
  });
}

export async function rolesOf(db: Db, input: { communityId: string }): Promise<RoleRecord[]> {
  return db.select().from(roles).where(eq(roles.communityId, input.communityId)).orderBy(desc(roles.position));
}

export async function createRole(
  db: Db,
  input: { communityId: string; name: string; permissions: number; position: number },
): Promise<RoleRecord> {
  const [role] = await db.insert(roles).values(input).returning();
  return role!;
}

export async function updateRole(
  db: Db,
  input: { communityId: string; roleId: string; name?: string; permissions?: number; position?: number },
): Promise<RoleRecord | null> {
  const { communityId, roleId, ...changes } = input;
  const [role] = await db
    .update(roles)
    .set(changes)
    .where(and(eq(roles.id, roleId), eq(roles.communityId, communityId)))
    .returning();
  return role ?? null;
}

export async function deleteRole(db: Db, input: { communityId: string; roleId: string }): Promise<boolean> {
  const deleted = await db
    .delete(roles)
    .where(and(eq(roles.id, input.roleId), eq(roles.communityId, input.communityId), eq(roles.isEveryone, false)))
    .returning({ id: roles.id });
  return deleted.length > 0;
}

export async function assignRole(
  db: Db,
  input: { communityId: string; userId: string; roleId: string },
): Promise<void> {
  await db.insert(memberRoles).values(input).onConflictDoNothing();
}

export async function unassignRole(
  db: Db,
  input: { communityId: string; userId: string; roleId: string },
): Promise<void> {
  await db
    .delete(memberRoles)
    .where(
      and(
        eq(memberRoles.userId, input.userId),
        eq(memberRoles.roleId, input.roleId),
        eq(memberRoles.communityId, input.communityId),
      ),
    );
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

/** How many communities the user owns (an owner must hand them over before the account goes). */
export async function ownedCommunityCount(db: Db, input: { userId: string }): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(communities)
    .where(eq(communities.ownerId, input.userId));
  return row?.count ?? 0;
}
