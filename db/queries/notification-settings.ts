/**
 * A person's notification settings: the account-wide preferences (a jsonb on users)
 * and a level or mute per community and channel (notification_settings). The facts
 * the server decides pushes from are in notify-facts.ts.
 */
import { and, count, eq, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { notificationSettings, users } from "../schema.ts";
import { liveMute } from "./mute-text.ts";

type Kind = "community" | "channel";
type Level = "all" | "mentions" | "nothing";

/** A stored setting as the wire shows it: `mutedUntil` an ISO time, "forever", or null once it passed. */
export interface NotificationTargetRecord {
  kind: Kind;
  id: string;
  level: Level | null;
  mutedUntil: string | null;
}

const targetFields = {
  kind: notificationSettings.targetKind,
  id: notificationSettings.targetId,
  level: notificationSettings.level,
  mutedUntil: liveMute(notificationSettings.mutedUntil),
};

const toWire = (row: NotificationTargetRecord): NotificationTargetRecord => ({
  ...row,
  mutedUntil: row.mutedUntil && row.mutedUntil !== "forever" ? new Date(row.mutedUntil).toISOString() : row.mutedUntil,
});

/** The stored preferences (null: never set) and every setting that still says something. */
export async function notificationSettingsOf(db: Db, input: { userId: string }) {
  const [user] = await db
    .select({ preferences: users.notificationPreferences })
    .from(users)
    .where(eq(users.id, input.userId));
  const targets = await db
    .select(targetFields)
    .from(notificationSettings)
    .where(eq(notificationSettings.userId, input.userId))
    .orderBy(notificationSettings.targetKind, notificationSettings.targetId);
  return {
    preferences: (user?.preferences ?? null) as unknown,
    targets: targets
      .filter((target) => target.level !== null || target.mutedUntil !== null)
      .map((target) => toWire(target as NotificationTargetRecord)),
  };
}

/** Merges `changes` into the stored preferences in one statement; returns the stored result. */
export async function updateNotificationPreferences(
  db: Db,
  input: { userId: string; changes: Record<string, unknown> },
): Promise<unknown> {
  const [row] = await db
    .update(users)
    .set({
      notificationPreferences: sql`coalesce(${users.notificationPreferences}, '{}'::jsonb) || ${JSON.stringify(input.changes)}::jsonb`,
    })
    .where(eq(users.id, input.userId))
    .returning({ preferences: users.notificationPreferences });
  return row?.preferences ?? null;
}

/**
 * Sets a level and/or a mute (undefined leaves it as it is; `mutedUntil` a Date,
 * "forever" or null). Refuses a new row past `max` per person ("too_many"); the
 * count and the insert share a transaction holding the person's row, so two racing
 * requests cannot both pass the bound.
 */
export async function setNotificationTarget(
  db: Db,
  input: {
    userId: string;
    kind: Kind;
    id: string;
    level?: Level | null;
    mutedUntil?: Date | "forever" | null;
    max: number;
  },
): Promise<NotificationTargetRecord | "too_many"> {
  return db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, input.userId)).for("update");
    const where = and(
      eq(notificationSettings.userId, input.userId),
      eq(notificationSettings.targetKind, input.kind),
      eq(notificationSettings.targetId, input.id),
    );
    const [existing] = await tx.select({ level: notificationSettings.level }).from(notificationSettings).where(where);
    if (!existing) {
      const [held] = await tx
        .select({ held: count() })
        .from(notificationSettings)
        .where(eq(notificationSettings.userId, input.userId));
      if ((held?.held ?? 0) >= input.max) return "too_many";
    }
    const mute =
      input.mutedUntil === undefined
        ? undefined
        : input.mutedUntil === "forever"
          ? sql`'infinity'::timestamptz`
          : input.mutedUntil;
    const changes = {
      ...(input.level !== undefined ? { level: input.level } : {}),
      ...(mute !== undefined ? { mutedUntil: mute } : {}),
      updatedAt: new Date(),
    };
    await tx
      .insert(notificationSettings)
      .values({ userId: input.userId, targetKind: input.kind, targetId: input.id, ...changes })
      .onConflictDoUpdate({
        target: [notificationSettings.userId, notificationSettings.targetKind, notificationSettings.targetId],
        set: changes,
      });
    const [row] = await tx.select(targetFields).from(notificationSettings).where(where);
    return toWire(row as NotificationTargetRecord);
  });
}

/** Back to inherited and unmuted; whether there was a setting. */
export async function clearNotificationTarget(
  db: Db,
  input: { userId: string; kind: Kind; id: string },
): Promise<boolean> {
  const removed = await db
    .delete(notificationSettings)
    .where(
      and(
        eq(notificationSettings.userId, input.userId),
        eq(notificationSettings.targetKind, input.kind),
        eq(notificationSettings.targetId, input.id),
      ),
    )
    .returning({ id: notificationSettings.targetId });
  return removed.length > 0;
}
