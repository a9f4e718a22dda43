/**
 * Communities and their members. Everything a member may see is loaded through
 * their membership (`memberContext`), so a non-member finds nothing. A new
 * community starts with its @everyone role, its owner and a #general channel.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { channels, communities, communityMembers, memberRoles, pictures, roles, users } from "../schema.ts";
import { lockMembership } from "./membership-lock.ts";
import { customStatusFields, liveCustomStatus, type CustomStatusRecord } from "./profile-fields.ts";
import { standingFields, toMemberContext, type MemberContextRecord } from "./member-standing.ts";
import { discardUploads, type DiscardedUpload } from "./upload-discards.ts";

export type { MemberContextRecord };

export type CommunityRecord = typeof communities.$inferSelect;
export type RoleRecord = typeof roles.$inferSelect;

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
    await tx.insert(channels).values({ communityId: community!.id, name: "general", createdBy: input.ownerId });
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

/** The user's standing in a community, or null when they are not a member. One statement. */
export async function memberContext(
  db: Db,
  input: { communityId: string; userId: string },
): Promise<MemberContextRecord | null> {
  const [row] = await selectStanding(db).where(
    and(eq(communityMembers.communityId, input.communityId), eq(communityMembers.userId, input.userId)),
  );
  return row ? toMemberContext(row.community, row.timedOutUntil, row) : null;
}

/** The user's standing in every community they belong to. One statement. */
export async function memberContextsOfUser(db: Db, input: { userId: string }): Promise<MemberContextRecord[]> {
  const rows = await selectStanding(db).where(eq(communityMembers.userId, input.userId));
  return rows.map((row) => toMemberContext(row.community, row.timedOutUntil, row));
}

/** Memberships with their community and standing; the caller says whose. */
const selectStanding = (db: Db) =>
  db
    .select({
      community: communities,
      timedOutUntil: communityMembers.timedOutUntil,
      ...standingFields(communityMembers.communityId, communityMembers.userId),
    })
    .from(communityMembers)
    .innerJoin(communities, eq(communities.id, communityMembers.communityId));

export async function membersOf(
  db: Db,
  input: { communityId: string; limit: number },
): Promise<
  {
    userId: string;
    username: string;
    avatarId: string | null;
    displayName: string | null;
    pronouns: string | null;
    customStatus: CustomStatusRecord | null;
    joinedAt: Date;
    timedOutUntil: Date | null;
    /** Why they are timed out (the route shows it only to them and to moderators). */
    timeoutReason: string | null;
    roleIds: string[];
  }[]
> {
  const rows = await db
    .select({
      userId: communityMembers.userId,
      username: users.username,
      avatarId: users.avatarId,
      displayName: users.displayName,
      pronouns: users.pronouns,
      ...customStatusFields,
      joinedAt: communityMembers.joinedAt,
      timedOutUntil: communityMembers.timedOutUntil,
      timeoutReason: communityMembers.timeoutReason,
    })
    .from(communityMembers)
    .innerJoin(users, eq(users.id, communityMembers.userId))
    .where(eq(communityMembers.communityId, input.communityId))
    .orderBy(asc(sql`lower(${users.username})`))
    .limit(input.limit);
  const assignments = await db.select().from(memberRoles).where(eq(memberRoles.communityId, input.communityId));
  return rows.map(({ statusText, statusEmoji, statusExpiresAt, ...row }) => ({
    ...row,
    customStatus: liveCustomStatus({ statusText, statusEmoji, statusExpiresAt }),
    roleIds: assignments
      .filter((assignment) => assignment.userId === row.userId)
      .map((assignment) => assignment.roleId),
  }));
}

export async function updateCommunity(
  db: Db,
  input: { communityId: string; name?: string; description?: string | null; icon?: string | null },
): Promise<CommunityRecord> {
  const { communityId, ...changes } = input;
  const [community] = await db.update(communities).set(changes).where(eq(communities.id, communityId)).returning();
  return community!;
}

/**
 * Deletes a community with its channels and their messages. In the same transaction
 * its channels' uploads are marked `deleting` and its icon's and banner's rows go;
 * both are answered, for the caller to remove the stored bytes after.
 */
export async function deleteCommunity(
  db: Db,
  input: { communityId: string },
): Promise<{ discarded: DiscardedUpload[]; pictureIds: string[] }> {
  return db.transaction(async (tx) => {
    const discarded = await discardUploads(
      tx as unknown as Db,
      sql`channel_id in (select id from channels where community_id = ${input.communityId})`,
    );
    const [removed] = await tx
      .delete(communities)
      .where(eq(communities.id, input.communityId))
      .returning({ iconId: communities.iconId, bannerId: communities.bannerId });
    const pictureIds = [removed?.iconId, removed?.bannerId].filter((id): id is string => Boolean(id));
    if (pictureIds.length > 0) await tx.delete(pictures).where(inArray(pictures.id, pictureIds));
    return { discarded, pictureIds };
  });
}

/** How many communities the user owns (an owner must hand them over before the account goes). */
export async function ownedCommunityCount(db: Db, input: { userId: string }): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(communities)
    .where(eq(communities.ownerId, input.userId));
  return row?.count ?? 0;
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
