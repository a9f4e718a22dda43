/**
 * The MLS delivery service's storage: each channel's group (epoch, GroupInfo,
 * member devices), its ordered handshake log with exactly one commit per epoch,
 * and Welcome messages queued per device. Commits, GroupInfos and Welcomes are
 * opaque: the server orders and hands them out, it cannot read them.
 */
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { deviceKeys, mlsCommits, mlsGroups, mlsWelcomes, sessions } from "../schema.ts";

export type MlsGroupRecord = typeof mlsGroups.$inferSelect;
export type MlsCommitRecord = typeof mlsCommits.$inferSelect;
export type MlsWelcomeRecord = typeof mlsWelcomes.$inferSelect;

export async function mlsGroup(db: Db, input: { channelId: string }): Promise<MlsGroupRecord | null> {
  const [group] = await db.select().from(mlsGroups).where(eq(mlsGroups.channelId, input.channelId));
  return group ?? null;
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
 * stored, and the caller learns the current epoch to catch up and retry.
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
    welcomes: { deviceId: string; welcome: Uint8Array }[];
  },
): Promise<{ ok: true; epoch: number } | { ok: false; reason: "stale_epoch" | "no_group"; epoch: number | null }> {
  return db.transaction(async (tx) => {
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
    if (input.welcomes.length > 0) {
      // Only to live devices: a Welcome for a revoked or unknown device is dropped, not stored.
      const live = await tx
        .select({ deviceId: deviceKeys.sessionId })
        .from(deviceKeys)
        .innerJoin(sessions, eq(sessions.id, deviceKeys.sessionId))
        .where(
          sql`${deviceKeys.sessionId} = any(${`{${input.welcomes.map((w) => w.deviceId).join(",")}}`}::uuid[]) and ${sessions.revokedAt} is null`,
        );
      const liveIds = new Set(live.map((row) => row.deviceId));
      const queued = input.welcomes.filter((welcome) => liveIds.has(welcome.deviceId));
      if (queued.length > 0) {
        await tx.insert(mlsWelcomes).values(
          queued.map((welcome) => ({
            deviceId: welcome.deviceId,
            channelId: input.channelId,
            epoch: moved.epoch,
            welcome: welcome.welcome,
          })),
        );
      }
    }
    return { ok: true as const, epoch: moved.epoch };
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
    .select()
    .from(mlsWelcomes)
    .where(and(eq(mlsWelcomes.deviceId, input.deviceId), gt(mlsWelcomes.id, input.afterId)))
    .orderBy(asc(mlsWelcomes.id))
    .limit(input.limit);
}

/** Removes a Welcome the device has processed; false when it is not one of the device's. */
export async function deleteMlsWelcome(db: Db, input: { deviceId: string; id: number }): Promise<boolean> {
  const deleted = await db
    .delete(mlsWelcomes)
    .where(and(eq(mlsWelcomes.deviceId, input.deviceId), eq(mlsWelcomes.id, input.id)))
    .returning({ id: mlsWelcomes.id });
  return deleted.length > 0;
}
