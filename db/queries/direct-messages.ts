/**
 * Direct conversations: a 1:1 DM is found or created by its two participants
 * (one row per pair, by `dm_key`); a group DM is created with its members.
 */
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { channelMembers, channels, communityMembers } from "../schema.ts";
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
