/** Instance administration: settings, users, announcements, statistics, the audit log. */
import { and, asc, desc, eq, gt, ilike, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { announcements, auditEvents, channels, communities, instanceSettings, messages, users } from "../schema.ts";
import type { UserRecord } from "./users.ts";

/** Settings an admin changes at runtime; absent keys fall back to the environment. */
export async function instanceSettingsMap(db: Db, _input: Record<string, never>): Promise<Record<string, unknown>> {
  const rows = await db.select().from(instanceSettings);
  return Object.fromEntries(rows.map((row) => [row.key, row.value]));
}

export async function setInstanceSetting(db: Db, input: { key: string; value: unknown }): Promise<void> {
  await db
    .insert(instanceSettings)
    .values({ key: input.key, value: input.value })
    .onConflictDoUpdate({ target: instanceSettings.key, set: { value: input.value, updatedAt: sql`now()` } });
}

/** A page of live accounts by username, optionally filtered by a search on the name. */
export async function searchUsers(
  db: Db,
  input: { search: string | null; after: string | null; limit: number },
): Promise<UserRecord[]> {
  return db
    .select()
    .from(users)
    .where(
      and(
        isNull(users.deletedAt),
        input.search
          ? ilike(users.username, `%${input.search.replace(/[\\%_]/g, (match) => `\\${match}`)}%`)
          : undefined,
        input.after ? gt(sql`lower(${users.username})`, input.after.toLowerCase()) : undefined,
      ),
    )
    .orderBy(asc(sql`lower(${users.username})`))
    .limit(input.limit);
}

/** Grants or revokes instance admin; refuses to remove the last active admin. */
export async function setAdmin(
  db: Db,
  input: { userId: string; isAdmin: boolean },
): Promise<"ok" | "last_admin" | "not_found"> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('chatalot.admins'))`);
    if (!input.isAdmin) {
      const [row] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(users)
        .where(and(eq(users.isAdmin, true), isNull(users.deletedAt), isNull(users.suspendedAt)));
      const [target] = await tx
        .select({ isAdmin: users.isAdmin, suspendedAt: users.suspendedAt })
        .from(users)
        .where(eq(users.id, input.userId));
      // Only active admins count: a suspended one cannot sign in to run the instance.
      if (target?.isAdmin && !target.suspendedAt && (row?.count ?? 0) <= 1) return "last_admin";
    }
    const updated = await tx
      .update(users)
      .set({ isAdmin: input.isAdmin })
      .where(and(eq(users.id, input.userId), isNull(users.deletedAt)))
      .returning({ id: users.id });
    return updated.length ? "ok" : "not_found";
  });
}

export async function instanceStatistics(db: Db, _input: Record<string, never>) {
  const [userCount] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(users)
    .where(isNull(users.deletedAt));
  const [communityCount] = await db.select({ count: sql<number>`count(*)::int` }).from(communities);
  const [channelCount] = await db.select({ count: sql<number>`count(*)::int` }).from(channels);
  const [messageStats] = await db
    .select({
      count: sql<number>`count(*)::int`,
      bytes: sql<number>`coalesce(sum(${messages.payloadBytes}), 0)::bigint`,
    })
    .from(messages);
  return {
    users: userCount?.count ?? 0,
    communities: communityCount?.count ?? 0,
    channels: channelCount?.count ?? 0,
    messages: messageStats?.count ?? 0,
    messageBytes: Number(messageStats?.bytes ?? 0),
  };
}

export async function createAnnouncement(db: Db, input: { body: string; createdBy: string; expiresAt: Date | null }) {
  const [announcement] = await db.insert(announcements).values(input).returning();
  return announcement!;
}

export async function activeAnnouncements(db: Db, _input: Record<string, never>) {
  return db
    .select()
    .from(announcements)
    .where(or(isNull(announcements.expiresAt), gt(announcements.expiresAt, sql`now()`)))
    .orderBy(desc(announcements.createdAt))
    .limit(20);
}

export async function deleteAnnouncement(db: Db, input: { id: string }): Promise<boolean> {
  const deleted = await db
    .delete(announcements)
    .where(eq(announcements.id, input.id))
    .returning({ id: announcements.id });
  return deleted.length > 0;
}

/** The instance audit log, newest first, filtered by actor, action, target and time. */
export async function instanceAudit(
  db: Db,
  input: {
    actorId: string | null;
    action: string | null;
    targetUserId: string | null;
    from: Date | null;
    to: Date | null;
    beforeId: number | null;
    limit: number;
  },
) {
  return db
    .select()
    .from(auditEvents)
    .where(
      and(
        input.actorId ? eq(auditEvents.actorId, input.actorId) : undefined,
        input.action ? eq(auditEvents.action, input.action) : undefined,
        input.targetUserId ? eq(auditEvents.targetUserId, input.targetUserId) : undefined,
        input.from ? gt(auditEvents.at, input.from) : undefined,
        input.to ? lt(auditEvents.at, input.to) : undefined,
        input.beforeId ? lt(auditEvents.id, input.beforeId) : undefined,
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(input.limit);
}
