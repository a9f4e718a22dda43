/**
 * The MLS delivery service's storage: each channel's group (epoch, GroupInfo,
 * member devices), its ordered handshake log with exactly one commit per epoch,
 * and Welcome messages queued per device. Commits and GroupInfos are verified before
 * they reach here (protocol/mls-wire.ts); Welcomes are sealed to their recipients:
 * the server orders and hands them out, it cannot read them.
 */
import { and, asc, desc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import {
  channels,
  deviceKeys,
  mlsCommits,
  mlsGroups,
  mlsWelcomeRecipients,
  mlsWelcomes,
  roles,
  sessions,
} from "../schema.ts";

export type MlsGroupRecord = typeof mlsGroups.$inferSelect;
export type MlsCommitRecord = typeof mlsCommits.$inferSelect;
export interface MlsWelcomeRecord {
  /** The recipient's entry: what the device deletes once it used the Welcome. */
  id: number;
  channelId: string;
  epoch: number;
  /** The generation of the group it brings the device into (a re-founding deletes older Welcomes). */
  generation: number;
  welcome: Uint8Array;
}

export async function mlsGroup(db: Db, input: { channelId: string }): Promise<MlsGroupRecord | null> {
  const [group] = await db.select().from(mlsGroups).where(eq(mlsGroups.channelId, input.channelId));
  return group ?? null;
}

/** The group with how many messages the channel stored since it entered its epoch. */
export async function mlsGroupWithActivity(
  db: Db,
  input: { channelId: string },
): Promise<(MlsGroupRecord & { messagesInEpoch: number }) | null> {
  const [group] = await db
    .select({
      group: mlsGroups,
      messagesInEpoch: sql<number>`(select count(*) from messages m
        where m.channel_id = ${mlsGroups.channelId} and m.sent_at >= ${mlsGroups.updatedAt})`.mapWith(Number),
    })
    .from(mlsGroups)
    .where(eq(mlsGroups.channelId, input.channelId));
  return group ? { ...group.group, messagesInEpoch: group.messagesInEpoch } : null;
}

/** Starts the channel's group at epoch 0; the first creator wins, a later one gets the existing group. */
export async function createMlsGroup(
  db: Db,
  input: { channelId: string; groupInfo: Uint8Array; memberDeviceIds: string[] },
): Promise<{ isNew: boolean; group: MlsGroupRecord }> {
  const [created] = await db.insert(mlsGroups).values(input).onConflictDoNothing().returning();
  if (created) return { isNew: true, group: created };
  return { isNew: false, group: (await mlsGroup(db, input))! };
}

/**
 * Accepts a commit built on `epoch` when that is still the group's epoch: the group
 * moves to `epoch + 1` with the new GroupInfo and members, the commit joins the log
 * and the Welcomes are queued, in one transaction. Any other epoch loses: nothing is
 * stored, and the caller learns the current epoch to catch up and retry. A channel
 * whose log took `limit.commits` commits within `limit.windowSeconds` takes no more
 * until the oldest of them leaves the window.
 */
export async function appendMlsCommit(
  db: Db,
  input: {
    channelId: string;
    epoch: number;
    commit: Uint8Array;
    groupInfo: Uint8Array;
    memberDeviceIds: string[];
    committerDeviceId: string;
    /** The commit's one Welcome, and the devices it adds. */
    welcome: Uint8Array | null;
    welcomeDeviceIds: string[];
    limit: { commits: number; windowSeconds: number };
  },
): Promise<
  | { ok: true; epoch: number }
  | { ok: false; reason: "stale_epoch" | "no_group"; epoch: number | null }
  | { ok: false; reason: "too_many_commits"; retryAfterSeconds: number }
> {
  return db.transaction(async (tx) => {
    // The commit `limit.commits` back in the log (by the epoch index): while it is in the window, the channel is full.
    const [boundary] = await tx
      .select({
        waitSeconds: sql<number>`ceil(extract(epoch from ${mlsCommits.createdAt}
          + make_interval(secs => ${input.limit.windowSeconds}) - now()))`.mapWith(Number),
      })
      .from(mlsCommits)
      .where(eq(mlsCommits.channelId, input.channelId))
      .orderBy(desc(mlsCommits.epoch))
      .offset(input.limit.commits - 1)
      .limit(1);
    if (boundary && boundary.waitSeconds > 0)
      return { ok: false as const, reason: "too_many_commits" as const, retryAfterSeconds: boundary.waitSeconds };
    const [moved] = await tx
      .update(mlsGroups)
      .set({
        epoch: sql`${mlsGroups.epoch} + 1`,
        groupInfo: input.groupInfo,
        memberDeviceIds: input.memberDeviceIds,
        updatedAt: sql`now()`,
      })
      .where(and(eq(mlsGroups.channelId, input.channelId), eq(mlsGroups.epoch, input.epoch)))
      .returning({ epoch: mlsGroups.epoch });
    if (!moved) {
      const current = await mlsGroup(tx as unknown as Db, input);
      return {
        ok: false as const,
        reason: current ? ("stale_epoch" as const) : ("no_group" as const),
        epoch: current?.epoch ?? null,
      };
    }
    await tx.insert(mlsCommits).values({
      channelId: input.channelId,
      epoch: input.epoch,
      commit: input.commit,
      committerDeviceId: input.committerDeviceId,
    });
    if (input.welcome && input.welcomeDeviceIds.length > 0) {
      // Only to live devices: a Welcome for revoked or unknown devices only is not stored.
      const live = await tx
        .select({ deviceId: deviceKeys.sessionId })
        .from(deviceKeys)
        .innerJoin(sessions, eq(sessions.id, deviceKeys.sessionId))
        .where(
          sql`${deviceKeys.sessionId} = any(${`{${input.welcomeDeviceIds.join(",")}}`}::uuid[]) and ${sessions.revokedAt} is null`,
        );
      if (live.length > 0) {
        const [stored] = await tx
          .insert(mlsWelcomes)
          .values({ channelId: input.channelId, epoch: moved.epoch, welcome: input.welcome })
          .returning({ id: mlsWelcomes.id });
        await tx
          .insert(mlsWelcomeRecipients)
          .values(live.map((row) => ({ deviceId: row.deviceId, welcomeId: stored!.id })));
      }
    }
    return { ok: true as const, epoch: moved.epoch };
  });
}

/**
 * Founds the group again at epoch 0 (a new generation) when it is still at `fromEpoch`:
 * the new GroupInfo and its one member, the handshake log and the queued Welcomes
 * deleted (their epochs belong to the old generation), in one transaction. Refused when
 * the group moved on meanwhile (a commit, or another member's re-founding), or when it
 * was founded again less than `windowSeconds` ago.
 */
export async function refoundMlsGroup(
  db: Db,
  input: {
    channelId: string;
    fromEpoch: number;
    groupInfo: Uint8Array;
    memberDeviceIds: string[];
    limit: { windowSeconds: number };
  },
): Promise<
  | { ok: true; group: MlsGroupRecord }
  | { ok: false; reason: "stale_epoch" | "no_group"; epoch: number | null }
  | { ok: false; reason: "too_many_refoundings"; retryAfterSeconds: number }
> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({
        epoch: mlsGroups.epoch,
        waitSeconds: sql<number | null>`ceil(extract(epoch from ${mlsGroups.refoundedAt}
          + make_interval(secs => ${input.limit.windowSeconds}) - now()))`.mapWith(Number),
      })
      .from(mlsGroups)
      .where(eq(mlsGroups.channelId, input.channelId))
      .for("update");
    if (!current) return { ok: false as const, reason: "no_group" as const, epoch: null };
    if (current.epoch !== input.fromEpoch)
      return { ok: false as const, reason: "stale_epoch" as const, epoch: current.epoch };
    if (current.waitSeconds !== null && current.waitSeconds > 0)
      return { ok: false as const, reason: "too_many_refoundings" as const, retryAfterSeconds: current.waitSeconds };
    const [group] = await tx
      .update(mlsGroups)
      .set({
        epoch: 0,
        groupInfo: input.groupInfo,
        memberDeviceIds: input.memberDeviceIds,
        generation: sql`${mlsGroups.generation} + 1`,
        refoundedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(eq(mlsGroups.channelId, input.channelId))
      .returning();
    await tx.delete(mlsCommits).where(eq(mlsCommits.channelId, input.channelId));
    // Their recipients go with them (on delete cascade).
    await tx.delete(mlsWelcomes).where(eq(mlsWelcomes.channelId, input.channelId));
    return { ok: true as const, group: group! };
  });
}

/** The commits after `afterEpoch` (those that moved the group out of later epochs), oldest first. */
export async function mlsCommitsSince(
  db: Db,
  input: { channelId: string; fromEpoch: number; limit: number },
): Promise<MlsCommitRecord[]> {
  return db
    .select()
    .from(mlsCommits)
    .where(and(eq(mlsCommits.channelId, input.channelId), sql`${mlsCommits.epoch} >= ${input.fromEpoch}`))
    .orderBy(asc(mlsCommits.epoch))
    .limit(input.limit);
}

/** The Welcomes waiting for a device, oldest first. */
export async function mlsWelcomesFor(
  db: Db,
  input: { deviceId: string; afterId: number; limit: number },
): Promise<MlsWelcomeRecord[]> {
  return db
    .select({
      id: mlsWelcomeRecipients.id,
      channelId: mlsWelcomes.channelId,
      epoch: mlsWelcomes.epoch,
      generation: mlsGroups.generation,
      welcome: mlsWelcomes.welcome,
    })
    .from(mlsWelcomeRecipients)
    .innerJoin(mlsWelcomes, eq(mlsWelcomes.id, mlsWelcomeRecipients.welcomeId))
    .innerJoin(mlsGroups, eq(mlsGroups.channelId, mlsWelcomes.channelId))
    .where(and(eq(mlsWelcomeRecipients.deviceId, input.deviceId), gt(mlsWelcomeRecipients.id, input.afterId)))
    .orderBy(asc(mlsWelcomeRecipients.id))
    .limit(input.limit);
}

/**
 * The device used a Welcome: its entry goes, and the Welcome with it once no device
 * waits for it. False when the entry is not one of the device's.
 */
export async function deleteMlsWelcome(db: Db, input: { deviceId: string; id: number }): Promise<boolean> {
  const result = await db.execute<{ id: string }>(sql`
    with taken as (
      delete from ${mlsWelcomeRecipients}
      where ${mlsWelcomeRecipients.deviceId} = ${input.deviceId} and ${mlsWelcomeRecipients.id} = ${input.id}
      returning ${mlsWelcomeRecipients.welcomeId} as welcome_id
    ), unused as (
      delete from mls_welcomes w using taken
      where w.id = taken.welcome_id
        and not exists (select 1 from mls_welcome_recipients r where r.welcome_id = w.id and r.id <> ${input.id})
    )
    select welcome_id as id from taken`);
  return result.rows.length > 0;
}

/**
 * Who could be in a channel's group: each person who may reach the channel (a member
 * of its community, or a participant of the DM) with their live devices (maybe none), with what the
 * caller needs to compute their permissions (roles, time-out), and the community's
 * roles. The caller decides who may view; the group should hold exactly their devices.
 */
export async function channelDeviceAudience(
  db: Db,
  input: { channelId: string },
): Promise<{
  members: {
    userId: string;
    roleIds: string[];
    timedOutUntil: Date | null;
    deviceIds: string[];
  }[];
  roles: (typeof roles.$inferSelect)[];
}> {
  const result = await db.execute<{
    user_id: string;
    role_ids: string[] | null;
    timed_out_until: string | null;
    device_ids: string[];
  }>(sql`
    with people as (
      select cm.user_id, cm.timed_out_until,
        (select coalesce(jsonb_agg(mr.role_id), '[]'::jsonb) from member_roles mr
          where mr.community_id = cm.community_id and mr.user_id = cm.user_id) as role_ids
      from channels c join community_members cm on cm.community_id = c.community_id
      where c.id = ${input.channelId}
      union all
      select p.user_id, null::timestamptz, '[]'::jsonb
      from channel_members p
      where p.channel_id = ${input.channelId}
    )
    select people.user_id, people.role_ids, people.timed_out_until,
      coalesce(array_agg(d.session_id::text order by d.created_at) filter (where s.id is not null and ak.id is not null), '{}') as device_ids
    from people
    left join device_keys d on d.user_id = people.user_id
    left join sessions s on s.id = d.session_id and s.revoked_at is null
    -- A device certified by a key its person has since replaced (they started over) is no longer theirs to add.
    left join account_keys ak on ak.id = d.account_key_id and ak.replaced_at is null
    group by people.user_id, people.role_ids, people.timed_out_until
  `);
  const [channel] = await db
    .select({ communityId: channels.communityId })
    .from(channels)
    .where(eq(channels.id, input.channelId));
  const communityRoles = channel?.communityId
    ? await db.select().from(roles).where(eq(roles.communityId, channel.communityId))
    : [];
  return {
    members: result.rows.map((row) => ({
      userId: row.user_id,
      roleIds: (row.role_ids ?? []) as string[],
      timedOutUntil: row.timed_out_until ? new Date(row.timed_out_until) : null,
      deviceIds:
        typeof row.device_ids === "string" ? (row.device_ids as string).slice(1, -1).split(",") : row.device_ids,
    })),
    roles: communityRoles,
  };
}
