/**
 * Queries about channels: creating, changing and listing a community's channels,
 * and `channelContext`, the one load every access check starts from.
 */
import { and, asc, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../db.ts";
import {
  categories,
  channelMembers,
  channelOverrides,
  channels,
  communities,
  communityMembers,
  roles,
  sessions,
  userBlocks,
  users,
} from "../schema.ts";
import { decodeRows, jsonRows } from "./json-rows.ts";
import { standingFields, toMemberContext, type MemberContextRecord } from "./member-standing.ts";
import { preparedFor, UNNAMED } from "./prepared.ts";
import { discardUploads, type DiscardedUpload } from "./upload-discards.ts";

export type ChannelRecord = typeof channels.$inferSelect;
export type OverrideRecord = typeof channelOverrides.$inferSelect;
/** Someone in a direct conversation, as its lists show them. */
export type DirectParticipant = {
  userId: string;
  username: string;
  displayName: string | null;
  avatarId: string | null;
};

/** What decides a person's access to one channel, loaded through their membership. */
export type ChannelContextRecord =
  | { channel: ChannelRecord; scope: "community"; member: MemberContextRecord; overrides: OverrideRecord[] }
  | {
      channel: ChannelRecord;
      scope: "direct";
      participants: DirectParticipant[];
      /** 1:1 only: either side blocked the other. */
      isBlocked: boolean;
    };

const isUniqueViolation = (error: unknown) =>
  ((error as { cause?: { code?: string } }).cause ?? (error as { code?: string })).code === "23505";

/**
 * The channel as the user may reach it, or null: a community channel needs a
 * membership of its community, a DM needs a place among its participants.
 * One statement: every access check (each HTTP request on a channel, each socket
 * admitted by a room) starts here.
 */
export async function channelContext(
  db: Db,
  input: { channelId: string; userId: string },
): Promise<ChannelContextRecord | null> {
  const [row] = await contextQuery(db).execute(input);
  return row ? toChannelContext(row, input.userId) : null;
}

/**
 * What a room needs to admit a socket, in one statement: whether the session is
 * still live (not revoked, the user neither suspended nor deleted) and the
 * channel as the user may reach it.
 */
export async function socketAdmission(
  db: Db,
  input: { channelId: string; userId: string; sessionId: string },
): Promise<{ isSessionLive: boolean; context: ChannelContextRecord | null }> {
  const [row] = await admissionQuery(db).execute(input);
  if (!row) return { isSessionLive: false, context: null };
  return { isSessionLive: row.isSessionLive, context: toChannelContext(row, input.userId) };
}

/** The values the two context statements take when they run. */
const placeholder = {
  channelId: sql.placeholder("channelId"),
  userId: sql.placeholder("userId"),
  sessionId: sql.placeholder("sessionId"),
};
const contextQuery = preparedFor((db) => selectChannelContext(db, {}).prepare(UNNAMED));
const admissionQuery = preparedFor((db) =>
  selectChannelContext(db, {
    isSessionLive: sql<boolean>`exists (select 1 from ${sessions} inner join ${users} on ${users.id} = ${sessions.userId}
      where ${sessions.id} = ${placeholder.sessionId} and ${sessions.userId} = ${placeholder.userId}
        and ${sessions.revokedAt} is null and ${users.suspendedAt} is null and ${users.deletedAt} is null)`,
  }).prepare(UNNAMED),
);

/** The channel and what decides the access of the user, both given as placeholders. */
function selectChannelContext<Extra extends Record<string, SQL.Aliased | SQL>>(db: Db, extra: Extra) {
  const participant = alias(channelMembers, "participant");
  const person = alias(users, "person");
  const other = alias(channelMembers, "other");
  return db
    .select({
      channel: channels,
      community: communities,
      isMember: sql<boolean>`${communityMembers.userId} is not null`,
      timedOutUntil: communityMembers.timedOutUntil,
      ...standingFields(channels.communityId, sql`${placeholder.userId}`),
      overrides: jsonRows(channelOverrides, eq(channelOverrides.channelId, channels.id)),
      participants: sql<DirectParticipant[]>`(select coalesce(json_agg(json_build_object(
          'userId', ${participant.userId},
          'username', case when ${person.deletedAt} is null then ${person.username} else 'deleted user' end,
          'displayName', ${person.displayName},
          'avatarId', case when ${person.deletedAt} is null then ${person.avatarId} end
        ) order by lower(${person.username})), '[]'::json)
        from ${channelMembers} as ${participant} inner join ${users} as ${person} on ${person.id} = ${participant.userId}
        where ${participant.channelId} = ${channels.id})`,
      // 1:1 only: either side blocked the other.
      isBlocked: sql<boolean>`${channels.kind} = 'dm' and exists (select 1 from ${channelMembers} as ${other} inner join ${userBlocks}
        on (${userBlocks.blockerId} = ${placeholder.userId} and ${userBlocks.blockedId} = ${other.userId})
        or (${userBlocks.blockerId} = ${other.userId} and ${userBlocks.blockedId} = ${placeholder.userId})
        where ${other.channelId} = ${channels.id} and ${other.userId} <> ${placeholder.userId})`,
      ...extra,
    })
    .from(channels)
    .leftJoin(communities, eq(communities.id, channels.communityId))
    .leftJoin(
      communityMembers,
      and(eq(communityMembers.communityId, channels.communityId), eq(communityMembers.userId, placeholder.userId)),
    )
    .where(eq(channels.id, placeholder.channelId));
}

type ChannelContextRow = Awaited<ReturnType<typeof selectChannelContext>>[number];

function toChannelContext(row: ChannelContextRow, userId: string): ChannelContextRecord | null {
  const { channel } = row;
  if (channel.communityId) {
    if (!row.community || !row.isMember) return null;
    const member = toMemberContext(row.community, row.timedOutUntil, row);
    return { channel, scope: "community", member, overrides: decodeRows(channelOverrides, row.overrides) };
  }
  const participants: DirectParticipant[] = row.participants;
  if (!participants.some((participant) => participant.userId === userId)) return null;
  return { channel, scope: "direct", participants, isBlocked: row.isBlocked };
}

/** The participants of each direct conversation, by channel id. */
export async function participantsOfChannels(db: Db, { channelIds }: { channelIds: string[] }) {
  const byChannel = new Map<string, DirectParticipant[]>();
  if (channelIds.length === 0) return byChannel;
  const rows = await db
    .select({
      channelId: channelMembers.channelId,
      userId: channelMembers.userId,
      username: sql<string>`case when ${users.deletedAt} is null then ${users.username} else 'deleted user' end`,
      displayName: users.displayName,
      avatarId: sql<string | null>`case when ${users.deletedAt} is null then ${users.avatarId} end`,
    })
    .from(channelMembers)
    .innerJoin(users, eq(users.id, channelMembers.userId))
    .where(inArray(channelMembers.channelId, channelIds))
    .orderBy(asc(sql`lower(${users.username})`));
  for (const row of rows) {
    const list = byChannel.get(row.channelId) ?? [];
    list.push({ userId: row.userId, username: row.username, displayName: row.displayName, avatarId: row.avatarId });
    byChannel.set(row.channelId, list);
  }
  return byChannel;
}

/** Every channel and category of a community with their overrides; the caller filters by permission. */
export async function communityLayout(db: Db, input: { communityId: string }) {
  const all = await db
    .select()
    .from(channels)
    .where(eq(channels.communityId, input.communityId))
    .orderBy(asc(channels.position), asc(sql`lower(${channels.name})`));
  const overrides =
    all.length === 0
      ? []
      : await db
          .select()
          .from(channelOverrides)
          .where(
            inArray(
              channelOverrides.channelId,
              all.map((channel) => channel.id),
            ),
          );
  const groups = await db
    .select()
    .from(categories)
    .where(eq(categories.communityId, input.communityId))
    .orderBy(asc(categories.position), asc(categories.name));
  return { channels: all, overrides, categories: groups };
}

/** The channels of these communities and their overrides, what visibility is worked out from. Two statements. */
export async function channelsOfCommunities(db: Db, input: { communityIds: string[] }) {
  if (input.communityIds.length === 0) return { channels: [], overrides: [] };
  const inCommunities = inArray(channels.communityId, input.communityIds);
  const all = await db.select().from(channels).where(inCommunities);
  const overrides = await db
    .select()
    .from(channelOverrides)
    .where(inArray(channelOverrides.channelId, db.select({ id: channels.id }).from(channels).where(inCommunities)));
  return { channels: all, overrides };
}

/** The ids of a community's channels: the rooms to tell when access changes. */
export async function channelIdsOfCommunity(db: Db, input: { communityId: string }): Promise<string[]> {
  const rows = await db.select({ id: channels.id }).from(channels).where(eq(channels.communityId, input.communityId));
  return rows.map((row) => row.id);
}

export type CreateChannelResult =
  | { ok: true; channel: ChannelRecord }
  | { ok: false; reason: "name_taken" | "no_such_category" | "no_such_role" | "too_many" };

/**
 * Creates a channel in a community. A private channel denies VIEW_CHANNEL to
 * @everyone and allows it to its creator and to the roles named, in the same
 * transaction: a role of another community (or @everyone) refuses the whole creation.
 */
export async function createCommunityChannel(
  db: Db,
  input: {
    communityId: string;
    everyoneRoleId: string;
    createdBy: string;
    name: string;
    kind: "text" | "voice";
    categoryId: string | null;
    topic: string | null;
    position: number | null;
    isPrivate: boolean;
    allowRoleIds: string[];
    viewFlag: number;
    maxChannels: number;
  },
): Promise<CreateChannelResult> {
  return db.transaction(async (tx) => {
    // Serializes creations in one community, so the count limit holds under races.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`chatalot.channels:${input.communityId}`}))`);
    const [existing] = await tx
      .select({ total: count() })
      .from(channels)
      .where(eq(channels.communityId, input.communityId));
    if ((existing?.total ?? 0) >= input.maxChannels) return { ok: false, reason: "too_many" } as const;
    if (input.categoryId && !(await categoryIn(tx as unknown as Db, input.communityId, input.categoryId))) {
      return { ok: false, reason: "no_such_category" } as const;
    }
    const allowed = input.isPrivate ? [...new Set(input.allowRoleIds)] : [];
    if (allowed.includes(input.everyoneRoleId)) return { ok: false, reason: "no_such_role" } as const;
    if (allowed.length > 0) {
      const known = await tx
        .select({ id: roles.id })
        .from(roles)
        .where(and(eq(roles.communityId, input.communityId), inArray(roles.id, allowed)));
      if (known.length !== allowed.length) return { ok: false, reason: "no_such_role" } as const;
    }
    const [last] = await tx
      .select({ top: sql<number>`coalesce(max(${channels.position}), -1)::int` })
      .from(channels)
      .where(eq(channels.communityId, input.communityId));
    const [channel] = await tx
      .insert(channels)
      .values({
        communityId: input.communityId,
        createdBy: input.createdBy,
        name: input.name,
        kind: input.kind,
        categoryId: input.categoryId,
        topic: input.topic,
        position: input.position ?? (last?.top ?? -1) + 1,
        newcomerHistory: input.isPrivate ? "from_join" : "from_start",
      })
      .onConflictDoNothing()
      .returning();
    if (!channel) return { ok: false, reason: "name_taken" } as const;
    if (input.isPrivate) {
      await tx
        .insert(channelOverrides)
        .values([
          { channelId: channel.id, roleId: input.everyoneRoleId, deny: input.viewFlag },
          { channelId: channel.id, userId: input.createdBy, allow: input.viewFlag },
          ...allowed.map((roleId) => ({ channelId: channel.id, roleId, allow: input.viewFlag })),
        ]);
    }
    return { ok: true, channel } as const;
  });
}

async function categoryIn(db: Db, communityId: string, categoryId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: categories.id })
    .from(categories)
    .where(and(eq(categories.id, categoryId), eq(categories.communityId, communityId)));
  return !!row;
}

export type UpdateChannelResult =
  { ok: true; channel: ChannelRecord } | { ok: false; reason: "name_taken" | "no_such_category" };

export async function updateChannel(
  db: Db,
  input: {
    channelId: string;
    communityId: string;
    name?: string;
    topic?: string | null;
    position?: number;
    categoryId?: string | null;
    isArchived?: boolean;
    isReadOnly?: boolean;
    slowModeSeconds?: number;
    newcomerHistory?: "from_start" | "from_join";
  },
): Promise<UpdateChannelResult> {
  const { channelId, communityId, ...changes } = input;
  if (changes.categoryId && !(await categoryIn(db, communityId, changes.categoryId))) {
    return { ok: false, reason: "no_such_category" };
  }
  try {
    const [channel] = await db
      .update(channels)
      .set(changes)
      .where(and(eq(channels.id, channelId), eq(channels.communityId, communityId)))
      .returning();
    return { ok: true, channel: channel! };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "name_taken" };
    throw error;
  }
}

/**
 * Deletes a community channel and, with it, its messages; its uploads are marked
 * `deleting` in the same transaction and answered, for the caller to remove their
 * parts. Null when there is no such channel in the community.
 */
export async function deleteChannel(
  db: Db,
  input: { channelId: string; communityId: string },
): Promise<{ discarded: DiscardedUpload[] } | null> {
  return db.transaction(async (tx) => {
    const discarded = await discardUploads(
      tx as unknown as Db,
      sql`channel_id = ${input.channelId} and exists (select 1 from channels
        where id = ${input.channelId} and community_id = ${input.communityId})`,
    );
    const removed = await tx
      .delete(channels)
      .where(and(eq(channels.id, input.channelId), eq(channels.communityId, input.communityId)))
      .returning({ id: channels.id });
    return removed.length > 0 ? { discarded } : null;
  });
}
