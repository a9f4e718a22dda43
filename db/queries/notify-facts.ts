/**
 * What the server knows when it decides whom to tell of new messages in a channel
 * (rooms/notify/): the channel with what decides access to it, and the people who
 * might be told, each with their settings, roles, blocks and live push subscriptions.
 * One statement per decision in a DM, two in a community channel, whatever the number
 * of people: never one per person.
 */
import { and, eq, inArray, isNull, notInArray, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../db.ts";
import {
  channelMembers,
  channelOverrides,
  channels,
  communities,
  communityMembers,
  memberRoles,
  notificationSettings,
  roles,
  userBlocks,
  users,
} from "../schema.ts";
import { decodeRows, jsonRows } from "./json-rows.ts";
import { liveMute } from "./mute-text.ts";
import { hasLivePushTarget, livePushTargetsOf, type PushTarget } from "./push-subscriptions.ts";

type Level = "all" | "mentions" | "nothing";

/** One person who might be told, with everything their verdict depends on. */
export interface NotifyCandidateRecord {
  userId: string;
  /** The stored jsonb, null if never set (protocol's notificationPreferencesOf reads it). */
  preferences: unknown;
  channelLevel: Level | null;
  channelMutedUntil: string | null;
  communityLevel: Level | null;
  communityMutedUntil: string | null;
  /** Community channels: the roles they hold there, and their time-out. */
  heldRoleIds: string[];
  timedOutUntil: Date | null;
  /** Which of the window's senders they blocked. */
  blockedSenderIds: string[];
  /** Where a push for them goes now, read with the rest (db/queries/push-subscriptions.ts). */
  pushTargets: PushTarget[];
}

export interface NotifyWindowInput {
  channelId: string;
  senderIds: string[];
  mentionedUserIds: string[];
  mentionedRoleIds: string[];
  /** @everyone or @here: every member is a candidate. */
  mentionsAll: boolean;
  /** At most this many candidates (an @everyone in a huge community is cut here). */
  limit: number;
  /** Only people with a live push subscription: Web Push is what the decision is for. */
  isPushOnly?: boolean;
}

/** The channel, and for a community channel its community, roles and overrides; null if it is gone. */
export async function notifyPlace(db: Db, input: { channelId: string }) {
  const [row] = await db
    .select({
      channel: channels,
      community: communities,
      roles: jsonRows(roles, eq(roles.communityId, channels.communityId)),
      overrides: jsonRows(channelOverrides, eq(channelOverrides.channelId, channels.id)),
    })
    .from(channels)
    .leftJoin(communities, eq(communities.id, channels.communityId))
    .where(eq(channels.id, input.channelId));
  if (!row) return null;
  return {
    channel: row.channel,
    community: row.community,
    roles: decodeRows(roles, row.roles),
    overrides: decodeRows(channelOverrides, row.overrides),
  };
}

/**
 * The people who might be told: in a DM every other participant; in a community
 * channel the members mentioned (by id, by a role they hold, or all of them for
 * @everyone/@here) and those whose level there is `all`. Senders, suspended and
 * deleted accounts are left out.
 */
export async function notifyCandidates(
  db: Db,
  input: NotifyWindowInput & { communityId: string | null },
): Promise<NotifyCandidateRecord[]> {
  const onChannel = alias(notificationSettings, "on_channel");
  const onCommunity = alias(notificationSettings, "on_community");
  const senders = input.senderIds.length > 0 ? input.senderIds : [crypto.randomUUID()];
  const person = sql`${users.id}`;
  const fields = {
    userId: users.id,
    preferences: users.notificationPreferences,
    channelLevel: onChannel.level,
    channelMutedUntil: liveMute(onChannel.mutedUntil),
    communityLevel: onCommunity.level,
    communityMutedUntil: liveMute(onCommunity.mutedUntil),
    heldRoleIds: input.communityId
      ? sql<string[]>`(select coalesce(json_agg(${memberRoles.roleId}), '[]'::json) from ${memberRoles}
          where ${memberRoles.communityId} = ${input.communityId} and ${memberRoles.userId} = ${person})`
      : sql<string[]>`'[]'::json`,
    timedOutUntil: input.communityId ? communityMembers.timedOutUntil : sql<Date | null>`null::timestamptz`,
    blockedSenderIds: sql<string[]>`(select coalesce(json_agg(${userBlocks.blockedId}), '[]'::json) from ${userBlocks}
      where ${userBlocks.blockerId} = ${person} and ${inArray(userBlocks.blockedId, senders)})`,
    pushTargets: livePushTargetsOf(person),
  };
  const settingOf = (table: typeof onChannel | typeof onCommunity, kind: "channel" | "community", id: string | null) =>
    and(eq(table.userId, users.id), eq(table.targetKind, kind), eq(table.targetId, id ?? input.channelId));
  const live = and(
    isNull(users.deletedAt),
    isNull(users.suspendedAt),
    notInArray(users.id, senders),
    input.isPushOnly ? hasLivePushTarget(person) : undefined,
  );

  if (!input.communityId) {
    const rows = await db
      .select(fields)
      .from(channelMembers)
      .innerJoin(users, eq(users.id, channelMembers.userId))
      .leftJoin(onChannel, settingOf(onChannel, "channel", input.channelId))
      .leftJoin(onCommunity, sql`false`)
      .where(and(eq(channelMembers.channelId, input.channelId), live))
      .limit(input.limit);
    return rows.map(toRecord);
  }
  const wanted: (SQL | undefined)[] = [
    eq(onChannel.level, "all"),
    and(isNull(onChannel.level), eq(onCommunity.level, "all")),
  ];
  if (input.mentionsAll) wanted.push(sql`true`);
  if (input.mentionedUserIds.length > 0) wanted.push(inArray(users.id, input.mentionedUserIds));
  if (input.mentionedRoleIds.length > 0) {
    wanted.push(sql`exists (select 1 from ${memberRoles} where ${memberRoles.userId} = ${person}
      and ${memberRoles.communityId} = ${input.communityId} and ${inArray(memberRoles.roleId, input.mentionedRoleIds)})`);
  }
  const rows = await db
    .select(fields)
    .from(communityMembers)
    .innerJoin(users, eq(users.id, communityMembers.userId))
    .leftJoin(onChannel, settingOf(onChannel, "channel", input.channelId))
    .leftJoin(onCommunity, settingOf(onCommunity, "community", input.communityId))
    .where(and(eq(communityMembers.communityId, input.communityId), live, or(...wanted)))
    .limit(input.limit);
  return rows.map(toRecord);
}

function toRecord(row: {
  userId: string;
  preferences: unknown;
  channelLevel: Level | null;
  channelMutedUntil: string | null;
  communityLevel: Level | null;
  communityMutedUntil: string | null;
  heldRoleIds: string[];
  timedOutUntil: Date | string | null;
  blockedSenderIds: string[];
  pushTargets: PushTarget[];
}): NotifyCandidateRecord {
  return { ...row, timedOutUntil: row.timedOutUntil ? new Date(row.timedOutUntil) : null };
}
