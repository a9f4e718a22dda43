/**
 * Direct conversations: a 1:1 DM is found or created by its two participants
 * (one row per pair, by `dm_key`); a group DM is created with its members.
 */
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { channelMembers, channels, communityMembers, userBlocks, users } from "../schema.ts";
import type { ChannelRecord } from "./channels.ts";

/** Whether the two people are members of at least one community together. */
export async function sharesCommunity(db: Db, input: { userId: string; otherId: string }): Promise<boolean> {
  const rows = await db.execute(sql`
    select 1 from ${communityMembers} a
    join ${communityMembers} b on b.community_id = a.community_id
    where a.user_id = ${input.userId} and b.user_id = ${input.otherId}
    limit 1`);
  return rows.rows.length > 0;
}

/** The DM between the two, created if there is none; `isNew` says which. */
export async function openDm(
  db: Db,
  input: { userId: string; otherId: string },
): Promise<{ channel: ChannelRecord; isNew: boolean }> {
  const dmKey = [input.userId, input.otherId].sort().join(":");
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(channels)
      .values({ name: "dm", kind: "dm", createdBy: input.userId, dmKey, newcomerHistory: "from_join" })
      .onConflictDoNothing()
      .returning();
    if (created) {
      await tx.insert(channelMembers).values([
        { channelId: created.id, userId: input.userId },
        { channelId: created.id, userId: input.otherId },
      ]);
      return { channel: created, isNew: true };
    }
    const [existing] = await tx.select().from(channels).where(eq(channels.dmKey, dmKey));
    return { channel: existing!, isNew: false };
  });
}

export async function createGroupDm(db: Db, input: { creatorId: string; memberIds: string[] }): Promise<ChannelRecord> {
  return db.transaction(async (tx) => {
    const [channel] = await tx
      .insert(channels)
      .values({ name: "group", kind: "group_dm", createdBy: input.creatorId, newcomerHistory: "from_join" })
      .returning();
    const everyone = [...new Set([input.creatorId, ...input.memberIds])];
    await tx.insert(channelMembers).values(everyone.map((userId) => ({ channelId: channel!.id, userId })));
    return channel!;
  });
}

/** The user's direct conversations, most recently created first. */
export async function dmsForUser(db: Db, input: { userId: string; limit: number }): Promise<ChannelRecord[]> {
  const rows = await db
    .select({ channel: channels })
    .from(channelMembers)
    .innerJoin(channels, eq(channels.id, channelMembers.channelId))
    .where(and(eq(channelMembers.userId, input.userId), isNull(channels.communityId)))
    .orderBy(desc(channels.createdAt))
    .limit(input.limit);
  return rows.map((row) => row.channel);
}

/** Leaves a group DM; false when the user was not in it (or it is a 1:1 DM, which cannot be left). */
export async function leaveGroupDm(db: Db, input: { channelId: string; userId: string }): Promise<boolean> {
  const removed = await db
    .delete(channelMembers)
    .where(
      and(
        eq(channelMembers.channelId, input.channelId),
        eq(channelMembers.userId, input.userId),
        inArray(
          channelMembers.channelId,
          db.select({ id: channels.id }).from(channels).where(eq(channels.kind, "group_dm")),
        ),
      ),
    )
    .returning({ userId: channelMembers.userId });
  return removed.length > 0;
}

/** The id of the 1:1 DM between the two, if they have one. */
export async function dmBetween(db: Db, input: { userId: string; otherId: string }): Promise<string | null> {
  const dmKey = [input.userId, input.otherId].sort().join(":");
  const [row] = await db.select({ id: channels.id }).from(channels).where(eq(channels.dmKey, dmKey));
  return row?.id ?? null;
}

/**
 * People the user may start a conversation with: those sharing a community, neither
 * deleted nor suspended nor blocked either way, whose username or display name
 * contains `search` (any case), alphabetical.
 */
export async function dmCandidates(db: Db, input: { userId: string; search: string; limit: number }) {
  // LIKE's own wildcards in what was typed are literal characters.
  const pattern = `%${input.search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  const rows = await db.execute<{
    user_id: string;
    username: string;
    display_name: string | null;
    avatar_id: string | null;
  }>(sql`
    select distinct u.id as user_id, u.username, u.display_name, u.avatar_id, lower(u.username) as sort_key
    from ${communityMembers} mine
    join ${communityMembers} theirs on theirs.community_id = mine.community_id and theirs.user_id <> mine.user_id
    join ${users} u on u.id = theirs.user_id
    where mine.user_id = ${input.userId}
      and u.deleted_at is null and u.suspended_at is null
      and (u.username ilike ${pattern} or coalesce(u.display_name, '') ilike ${pattern})
      and not exists (select 1 from ${userBlocks} b
        where (b.blocker_id = ${input.userId} and b.blocked_id = u.id)
           or (b.blocker_id = u.id and b.blocked_id = ${input.userId}))
    order by sort_key
    limit ${input.limit}`);
  return rows.rows.map((row) => ({
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    avatarId: row.avatar_id,
  }));
}

/** Names a group DM (never a 1:1 DM); null when there is no such group conversation. */
export async function renameGroupDm(db: Db, input: { channelId: string; name: string }): Promise<ChannelRecord | null> {
  const [renamed] = await db
    .update(channels)
    .set({ name: input.name })
    .where(and(eq(channels.id, input.channelId), eq(channels.kind, "group_dm")))
    .returning();
  return renamed ?? null;
}

export type AddParticipantsResult = { ok: true } | { ok: false; reason: "not_group" | "already_in" | "full" };

/**
 * Adds people to a group DM, all or none: the conversation is locked while its size
 * is counted, so two additions at once cannot pass the limit together.
 */
export async function addGroupDmParticipants(
  db: Db,
  input: { channelId: string; userIds: string[]; maxMembers: number },
): Promise<AddParticipantsResult> {
  return db.transaction(async (tx) => {
    const [channel] = await tx
      .select({ kind: channels.kind })
      .from(channels)
      .where(eq(channels.id, input.channelId))
      .for("update");
    if (channel?.kind !== "group_dm") return { ok: false, reason: "not_group" } as const;
    const present = await tx
      .select({ userId: channelMembers.userId })
      .from(channelMembers)
      .where(eq(channelMembers.channelId, input.channelId));
    if (present.some((member) => input.userIds.includes(member.userId))) return { ok: false, reason: "already_in" };
    if (present.length + input.userIds.length > input.maxMembers) return { ok: false, reason: "full" };
    await tx.insert(channelMembers).values(input.userIds.map((userId) => ({ channelId: input.channelId, userId })));
    return { ok: true } as const;
  });
}

/** Which of these 1:1 DMs of the user are silenced by a block, either way. */
export async function blockedConversationIds(
  db: Db,
  input: { userId: string; channelIds: string[] },
): Promise<Set<string>> {
  if (input.channelIds.length === 0) return new Set();
  const rows = await db.execute<{ id: string }>(sql`
    select c.id from ${channels} c
    join ${channelMembers} other on other.channel_id = c.id and other.user_id <> ${input.userId}
    join ${userBlocks} b on (b.blocker_id = ${input.userId} and b.blocked_id = other.user_id)
      or (b.blocker_id = other.user_id and b.blocked_id = ${input.userId})
    where c.kind = 'dm' and c.id in (${sql.join(
      input.channelIds.map((id) => sql`${id}`),
      sql`, `,
    )})`);
  return new Set(rows.rows.map((row) => row.id));
}
