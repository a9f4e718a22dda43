/**
 * Files on the wire (docs/files.md): resumable uploads of encrypted bytes, their
 * binding to a message, downloads, and the public pictures (avatars, community icons
 * and banners). The server sees only sizes and owners: a file's name, type, key and
 * preview travel inside the sealed message (`e2ee/message-content.ts`).
 */
import { z } from "zod";

/** Bytes a `PATCH /api/uploads/:id` carries: every part but the last is exactly this long. */
export const UPLOAD_PART_BYTES = 1024 * 1024;
/** Files one message may carry. */
export const ATTACHMENTS_PER_MESSAGE_MAX = 10;
/** Uploads a person may have unfinished (or finished and not yet sent) at once. */
export const UPLOADS_PENDING_MAX = 50;
/** An upload no message took within this long is removed by housekeeping. */
export const UPLOAD_ORPHAN_MS = 24 * 60 * 60 * 1000;
/** A picture (avatar, icon, banner) as uploaded: already cropped and resized by the client. */
export const PICTURE_MAX_BYTES = 1024 * 1024;
/** A picture's formats, told by their first bytes (never SVG: it can carry script). */
export const PICTURE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;
export type PictureType = (typeof PICTURE_TYPES)[number];

/**
 * The sealed size of a file of `plainBytes` (`e2ee/attachment-crypto.ts`: a 15-byte
 * header and a 16-byte tag per 64 KiB chunk): what UPLOAD_MAX_BYTES, a plaintext
 * limit, allows an upload to declare, and what quotas count.
 */
export function sealedFileBytes(plainBytes: number): number {
  const chunks = Math.max(1, Math.ceil(plainBytes / (64 * 1024)));
  return 15 + plainBytes + chunks * 16;
}

/** `POST /api/channels/:channelId/uploads`: the sealed size, known before the first byte. */
export const createUploadSchema = z.strictObject({
  size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});
export type CreateUploadRequest = z.infer<typeof createUploadSchema>;

export type UploadState = "uploading" | "complete";

/** An upload as its owner sees it (`{ upload }` from the upload routes). */
export interface UploadView {
  id: string;
  channelId: string;
  /** Sealed bytes declared at creation. */
  size: number;
  /** Bytes stored so far: where the next `PATCH` starts. */
  offset: number;
  partBytes: number;
  state: UploadState;
  createdAt: string;
  /** When housekeeping removes it if no message took it. */
  expiresAt: string;
}

/** The person's storage: what quotas count (sealed bytes of every upload they own). */
export interface StorageUsage {
  usedBytes: number;
  quotaBytes: number;
  fileMaxBytes: number;
}

/** Stable error codes of the file routes (docs/api.md, "Files"). */
export const FILE_ERROR_CODES = [
  /** The declared size is 0. */
  "empty_file",
  /** Larger than UPLOAD_MAX_BYTES allows (sealed). */
  "file_too_large",
  /** The person's files would pass UPLOAD_QUOTA_BYTES. */
  "over_quota",
  /** UPLOADS_PENDING_MAX unfinished uploads already. */
  "too_many_uploads",
  /** Unknown, someone else's, or removed. */
  "no_such_upload",
  /** A `PATCH` whose Upload-Offset is not where the upload stands; the body says where. */
  "wrong_offset",
  /** A part that is not UPLOAD_PART_BYTES long (or, last, not exactly the rest). */
  "wrong_part_size",
  /** A `PATCH` to an upload already complete. */
  "upload_complete",
  /** A `DELETE` of an upload a message carries: delete the message. */
  "upload_attached",
  /** The server's disk is full: nothing was stored, try later. */
  "storage_full",
  /** A picture that is not PNG, JPEG, WebP or GIF by its bytes, or too large. */
  "invalid_picture",
] as const;
export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];
