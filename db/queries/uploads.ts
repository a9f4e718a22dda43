/**
 * Uploads' rows (docs/files.md): creation under the owner's quota, parts counted in as
 * they are stored, cancellation, what a download may read, and what housekeeping
 * removes. The parts themselves are in the file store (functions/storage/), written
 * before their row moves and removed before their row goes.
 *
 * Storage figures for the admin page are `storageOfUsers` and `storageTotal`
 * (instance-overview.ts); `storageUsage` here is one person's, as the quota counts it.
 */
import { and, eq, inArray, isNull, lt, ne, or, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { channels, messages, uploads, users } from "../schema.ts";

export type UploadRecord = typeof uploads.$inferSelect;

/** Uploads that count against the quota: all a person owns but those being removed. */
const counted = (ownerId: string) => and(eq(uploads.ownerId, ownerId), ne(uploads.state, "deleting"));

/** Sealed bytes of every upload the person owns (what UPLOAD_QUOTA_BYTES limits). */
export async function storageUsage(db: Db, input: { userId: string }): Promise<number> {
  const [row] = await db
    .select({ bytes: sql<string>`coalesce(sum(${uploads.size}), 0)` })
    .from(uploads)
    .where(counted(input.userId));
  return Number(row?.bytes ?? 0);
}

export type CreateUploadResult =
  | { ok: true; upload: UploadRecord }
  | { ok: false; reason: "over_quota"; usedBytes: number }
  | { ok: false; reason: "too_many_uploads" };

/**
 * A new upload, if the person's quota and pending count allow it. Their users row is
 * locked first, so parallel creations by one person are counted one after another and
 * the quota is never overshot.
 */
export async function createUpload(
  db: Db,
  input: { ownerId: string; channelId: string; size: number; quotaBytes: number; pendingMax: number },
): Promise<CreateUploadResult> {
  return db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, input.ownerId)).for("update");
    const [totals] = await tx
      .select({
        bytes: sql<string>`coalesce(sum(${uploads.size}), 0)`,
        pending: sql<number>`count(*) filter (where ${uploads.messageId} is null)::int`,
      })
      .from(uploads)
      .where(counted(input.ownerId));
    const usedBytes = Number(totals?.bytes ?? 0);
    if ((totals?.pending ?? 0) >= input.pendingMax) return { ok: false, reason: "too_many_uploads" } as const;
    if (usedBytes + input.size > input.quotaBytes) return { ok: false, reason: "over_quota", usedBytes } as const;
    const [upload] = await tx
      .insert(uploads)
      .values({ ownerId: input.ownerId, channelId: input.channelId, size: input.size })
      .returning();
    return { ok: true, upload: upload! } as const;
  });
}

/** The person's own upload, unless it is being removed. */
export async function ownUpload(db: Db, input: { id: string; ownerId: string }): Promise<UploadRecord | null> {
  const [upload] = await db
    .select()
    .from(uploads)
    .where(and(eq(uploads.id, input.id), counted(input.ownerId)));
  return upload ?? null;
}

/**
 * Counts in a part just stored: `received` moves from `offset` to `offset + length`
 * only if it still stands at `offset` (a retry or a racing request changes nothing),
 * and the upload is complete once every byte is in. Null when it did not move.
 */
export async function advanceUpload(
  db: Db,
  input: { id: string; ownerId: string; offset: number; length: number },
): Promise<UploadRecord | null> {
  const received = input.offset + input.length;
  const [upload] = await db
    .update(uploads)
    .set({
      received,
      state: sql`case when ${uploads.size} = ${received} then 'complete' else 'uploading' end`,
      completedAt: sql`case when ${uploads.size} = ${received} then now() end`,
    })
    .where(
      and(
        eq(uploads.id, input.id),
        eq(uploads.ownerId, input.ownerId),
        eq(uploads.state, "uploading"),
        eq(uploads.received, input.offset),
      ),
    )
    .returning();
  return upload ?? null;
}

export type CancelUploadResult = { outcome: "marked"; upload: UploadRecord } | { outcome: "attached" | "missing" };

/**
 * Marks the person's unsent upload `deleting` (its bytes stop counting at once); the
 * caller then removes its parts and its row. One a message carries stays.
 */
export async function cancelUpload(db: Db, input: { id: string; ownerId: string }): Promise<CancelUploadResult> {
  const [upload] = await db
    .update(uploads)
    .set({ state: "deleting" })
    .where(and(eq(uploads.id, input.id), counted(input.ownerId), isNull(uploads.messageId)))
    .returning();
  if (upload) return { outcome: "marked", upload };
  return { outcome: (await ownUpload(db, input)) ? "attached" : "missing" };
}

/** Rows whose parts are gone: only rows marked `deleting`, so a live upload is never lost. */
export async function removeUploadRows(db: Db, input: { ids: string[] }): Promise<number> {
  if (input.ids.length === 0) return 0;
  const removed = await db
    .delete(uploads)
    .where(and(inArray(uploads.id, input.ids), eq(uploads.state, "deleting")))
    .returning({ id: uploads.id });
  return removed.length;
}

/**
 * What a download needs: the upload (not being removed) and, when a message carries it,
 * that message's channel and whether it still stands. Who may read is the caller's check.
 */
export async function downloadableUpload(db: Db, input: { id: string }) {
  const [row] = await db
    .select({
      id: uploads.id,
      ownerId: uploads.ownerId,
      size: uploads.size,
      received: uploads.received,
      state: uploads.state,
      messageId: uploads.messageId,
      messageChannelId: messages.channelId,
      messageDeletedAt: messages.deletedAt,
    })
    .from(uploads)
    .leftJoin(messages, eq(messages.id, uploads.messageId))
    .where(and(eq(uploads.id, input.id), ne(uploads.state, "deleting")));
  return row ?? null;
}

/**
 * Housekeeping's share of uploads: marks `deleting` those no message took within
 * `orphanSeconds` and those whose channel is gone, then answers up to `limit` rows
 * marked `deleting` (these, and any a failed removal left) for their parts and rows
 * to be removed.
 */
export async function uploadsToSweep(db: Db, input: { orphanSeconds: number; limit: number }) {
  await db
    .update(uploads)
    .set({ state: "deleting" })
    .where(
      and(
        ne(uploads.state, "deleting"),
        or(
          and(
            isNull(uploads.messageId),
            lt(uploads.createdAt, sql`now() - make_interval(secs => ${input.orphanSeconds})`),
          ),
          sql`not exists (select 1 from ${channels} where ${channels.id} = ${uploads.channelId})`,
        ),
      ),
    );
  return db
    .select({ id: uploads.id, size: uploads.size, received: uploads.received })
    .from(uploads)
    .where(eq(uploads.state, "deleting"))
    .limit(input.limit);
}
