/**
 * Each account's encrypted key backup: the latest version, which devices write on top
 * of, and the earlier versions kept a while, so that one written over by a stolen
 * session (or by a device with a bug) is not the only copy. Opaque bytes here.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { keyBackups, keyBackupVersions } from "../schema.ts";

export type KeyBackupRecord = typeof keyBackups.$inferSelect;
export type KeyBackupVersionRecord = typeof keyBackupVersions.$inferSelect;

/** How earlier versions are kept: the newest few whoever wrote them, and each session's newest, for a while. */
export interface BackupRetention {
  /** The newest earlier versions always kept (within `keepDays`). */
  keepVersions: number;
  /** Days an earlier version is kept after a newer one took its place. */
  keepDays: number;
}

export async function keyBackupOf(db: Db, input: { userId: string }): Promise<KeyBackupRecord | null> {
  const [backup] = await db.select().from(keyBackups).where(eq(keyBackups.userId, input.userId));
  return backup ?? null;
}

/** The earlier versions still kept, newest first. */
export async function keyBackupVersionsOf(db: Db, input: { userId: string }): Promise<KeyBackupVersionRecord[]> {
  return db
    .select()
    .from(keyBackupVersions)
    .where(eq(keyBackupVersions.userId, input.userId))
    .orderBy(desc(keyBackupVersions.version));
}

export async function keyBackupVersionOf(
  db: Db,
  input: { userId: string; version: number },
): Promise<KeyBackupVersionRecord | null> {
  const [row] = await db
    .select()
    .from(keyBackupVersions)
    .where(and(eq(keyBackupVersions.userId, input.userId), eq(keyBackupVersions.version, input.version)));
  return row ?? null;
}

/**
 * Stores a new version of the account's backup, written on top of `previousVersion`
 * (0 for the first, or the first after starting over). Another device wrote in between:
 * refused with the current version. The version it replaces is kept (see `BackupRetention`).
 */
export async function storeKeyBackup(
  db: Db,
  input: {
    userId: string;
    previousVersion: number;
    backup: Uint8Array;
    passphraseWrap: Uint8Array | null;
    keyId: string;
    writtenBy: string;
    retention: BackupRetention;
  },
): Promise<{ ok: true; version: number } | { ok: false; version: number }> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(keyBackups).where(eq(keyBackups.userId, input.userId)).for("update");
    if ((current?.version ?? 0) !== input.previousVersion)
      return { ok: false as const, version: current?.version ?? 0 };
    if (current) await keepEarlierVersion(tx, current);
    // Numbers go on past versions kept from before starting over, so each names one backup.
    const [kept] = await tx
      .select({ newest: sql<number>`coalesce(max(${keyBackupVersions.version}), 0)`.mapWith(Number) })
      .from(keyBackupVersions)
      .where(eq(keyBackupVersions.userId, input.userId));
    const version = Math.max(input.previousVersion, kept?.newest ?? 0) + 1;
    const values = {
      version,
      backup: input.backup,
      passphraseWrap: input.passphraseWrap,
      keyId: input.keyId,
      writtenBy: input.writtenBy,
      updatedAt: sql`now()`,
    };
    await tx
      .insert(keyBackups)
      .values({ userId: input.userId, ...values })
      .onConflictDoUpdate({ target: keyBackups.userId, set: values });
    await pruneKeyBackupVersions(tx, input.userId, input.retention);
    return { ok: true as const, version };
  });
}

/** The latest backup becomes an earlier version (kept) and the account has none: its account key was replaced. */
export async function setKeyBackupAside(db: Pick<Db, "select" | "insert" | "delete">, userId: string): Promise<void> {
  const [current] = await db.select().from(keyBackups).where(eq(keyBackups.userId, userId));
  if (!current) return;
  await keepEarlierVersion(db, current);
  await db.delete(keyBackups).where(eq(keyBackups.userId, userId));
}

async function keepEarlierVersion(db: Pick<Db, "insert">, current: KeyBackupRecord): Promise<void> {
  await db
    .insert(keyBackupVersions)
    .values({
      userId: current.userId,
      version: current.version,
      backup: current.backup,
      passphraseWrap: current.passphraseWrap,
      keyId: current.keyId,
      writtenBy: current.writtenBy,
      updatedAt: current.updatedAt,
    })
    .onConflictDoNothing();
}

/**
 * Drops earlier versions past `keepDays`, and past the newest `keepVersions` those whose
 * session wrote a newer one: a stolen session writing version after version pushes out
 * only its own, never the newest that each of the person's devices wrote.
 */
async function pruneKeyBackupVersions(db: Pick<Db, "execute">, userId: string, retention: BackupRetention) {
  await db.execute(sql`
    delete from key_backup_versions v where v.user_id = ${userId} and (
      v.superseded_at < now() - make_interval(days => ${retention.keepDays})
      or (
        v.version not in (select n.version from key_backup_versions n where n.user_id = ${userId}
                          order by n.version desc limit ${retention.keepVersions})
        and exists (select 1 from key_backup_versions n where n.user_id = ${userId} and n.version > v.version
                    and n.written_by is not distinct from v.written_by)
      )
    )`);
}
