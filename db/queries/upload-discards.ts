/**
 * Marking uploads `deleting` when what carries them goes (docs/files.md, "Delete"): a
 * message, a channel, a community, an account's unsent uploads. The mark is made in
 * the transaction that deletes the carrier; the caller removes the parts once it
 * committed (functions/file-removal.ts), and housekeeping finishes what that left.
 * A helper of the query modules, not a module of queries.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db.ts";

/** What removing an upload's parts needs to know of it (functions/storage/upload-parts.ts). */
export interface DiscardedUpload {
  id: string;
  size: number;
  received: number;
}

/** The columns a marking statement returns, as `DiscardedUpload`. */
export const DISCARDED_UPLOAD = sql.raw("uploads.id, uploads.size, uploads.received");

/**
 * Marks the uploads `where` picks out `deleting` and answers them. Run it before
 * deleting their channel or community: a send binding an upload locks the upload
 * before the channel row, so taking them in the same order cannot deadlock with it.
 */
export async function discardUploads(db: Db, where: SQL): Promise<DiscardedUpload[]> {
  const result = await db.execute<{ id: string; size: string; received: string }>(sql`
    update uploads set state = 'deleting' where state <> 'deleting' and ${where} returning ${DISCARDED_UPLOAD}`);
  return result.rows.map((row) => ({ id: row.id, size: Number(row.size), received: Number(row.received) }));
}
