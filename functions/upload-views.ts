/** How the server shows an upload to its owner, and the errors all the file routes share. */
import type { UploadRecord } from "../db/index.ts";
import { UPLOAD_ORPHAN_MS, UPLOAD_PART_BYTES, uuidSchema, type UploadView } from "../protocol/index.ts";
import { AppError } from "./errors.ts";
import { StorageFullError } from "./storage/file-store.ts";

export function uploadView(upload: UploadRecord): UploadView {
  const createdAt = new Date(upload.createdAt);
  return {
    id: upload.id,
    channelId: upload.channelId,
    size: upload.size,
    offset: upload.received,
    partBytes: UPLOAD_PART_BYTES,
    state: upload.state === "complete" ? "complete" : "uploading",
    createdAt: createdAt.toISOString(),
    expiresAt: new Date(createdAt.getTime() + UPLOAD_ORPHAN_MS).toISOString(),
  };
}

/** Unknown, someone else's and removed uploads all answer the same. */
export const noSuchUpload = () => new AppError(404, "no_such_upload", "there is no such upload of yours");

/** An id from a path: a malformed one is as unknown as any other. */
export function uploadIdOf(raw: string): string {
  const id = uuidSchema.safeParse(raw);
  if (!id.success) throw noSuchUpload();
  return id.data;
}

/** A store write refused for lack of space becomes 507, with nothing stored. */
export async function storing(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof StorageFullError) {
      throw new AppError(507, "storage_full", "the server's storage is full: nothing was stored; try again later", {
        "Retry-After": "60",
      });
    }
    throw error;
  }
}
