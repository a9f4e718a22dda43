/**
 * An upload's parts in the file store: which keys hold them, and removing them. Callers
 * that delete uploads (a message, a channel, an account; housekeeping) mark the rows
 * `deleting` in their transaction, then call `removeUploadParts` once it has committed,
 * then remove the rows (`query(env.DATABASE, "removeUploadRows", { ids })`): a row goes
 * only after its parts, so a failure half way leaves a row housekeeping finishes.
 */
import { UPLOAD_PART_BYTES } from "../../protocol/index.ts";
import { fileStoreOf, partKey, type StorageBindings } from "./file-store.ts";

/** What removal needs to know of an upload row. */
export interface StoredUpload {
  id: string;
  size: number;
  received: number;
}

/** The part a byte offset falls in. */
export const partOf = (offset: number): number => Math.floor(offset / UPLOAD_PART_BYTES);

/** How many parts an upload of `size` bytes has. */
export const partCount = (size: number): number => Math.ceil(size / UPLOAD_PART_BYTES);

/**
 * Every key that may hold a part of the upload: the parts received, and the next one,
 * which a write may have stored just before its request failed (a part is written
 * first, then counted).
 */
export function storedPartKeys(upload: StoredUpload): string[] {
  const parts = Math.min(partCount(upload.size), partOf(upload.received) + 1);
  return Array.from({ length: parts }, (_, part) => partKey(upload.id, part));
}

/** Removes the uploads' parts from the file store; their rows are the caller's to delete after. */
export async function removeUploadParts(env: StorageBindings, uploads: StoredUpload[]): Promise<void> {
  if (uploads.length === 0) return;
  await fileStoreOf(env).delete(uploads.flatMap(storedPartKeys));
}
