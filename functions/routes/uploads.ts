/**
 * Resumable uploads of encrypted files (docs/files.md, "Upload"): create one in a
 * channel under the person's quota, append parts at the offset the server holds, ask
 * where it stands, cancel it; and the person's storage figures. The bytes are sealed
 * on the device; the server knows only sizes, owners and channels.
 */
import { Hono, type Context } from "hono";
import { z } from "zod";
import { count, errorText, log, query } from "../../db/index.ts";
import {
  createUploadSchema,
  sealedFileBytes,
  UPLOAD_PART_BYTES,
  UPLOADS_PENDING_MAX,
  type StorageUsage,
} from "../../protocol/index.ts";
import { userRateLimit } from "../abuse.ts";
import { channelAccess, requireChannelPermission } from "../channel-access.ts";
import type { AppEnv } from "../context.ts";
import { AppError, errorFields } from "../errors.ts";
import { instanceSettings } from "../instance-settings.ts";
import { limitBody, requireUser } from "../middleware.ts";
import { fileStoreOf, partKey } from "../storage/file-store.ts";
import { partOf, removeUploadParts } from "../storage/upload-parts.ts";
import { readPart } from "../upload-body.ts";
import { noSuchUpload, storing, uploadIdOf, uploadView } from "../upload-views.ts";
import { parseJson } from "../validation.ts";

/**
 * New uploads per person a minute: a message carries at most ten files, so this is a
 * dozen messages' worth; a script's burst of tiny uploads meets 429 after it.
 */
const UPLOADS_PER_MINUTE = 120;
const CREATION_LIMIT = userRateLimit("uploads", UPLOADS_PER_MINUTE, 60);

/** The creation body with a size of 0 let through, so that it gets its own code. */
const creationSchema = createUploadSchema.extend({ size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) });

const offsetHeader = z
  .string()
  .regex(/^\d{1,16}$/)
  .transform(Number);

// requireUser per route: these share /api/channels with the ticket-authenticated socket route.
export const channelUploads = new Hono<AppEnv>().post(
  "/:channelId/uploads",
  requireUser,
  CREATION_LIMIT,
  limitBody,
  async (c) => {
    const access = await channelAccess(c, c.req.param("channelId"));
    requireChannelPermission(access, "SEND_MESSAGES", "send files here");
    requireChannelPermission(access, "ATTACH_FILES", "attach files here");
    const { size } = await parseJson(c, creationSchema);
    const config = c.get("config");
    if (size === 0) throw new AppError(400, "empty_file", "the file is empty: there is nothing to send");
    // The admin page's "Largest upload" when set, else UPLOAD_MAX_BYTES.
    const { uploadMaxBytes } = await instanceSettings(c);
    if (size > sealedFileBytes(uploadMaxBytes)) {
      throw new AppError(413, "file_too_large", `files are limited to ${uploadMaxBytes} bytes on this server`);
    }
    const created = await query(c.env.DATABASE, "createUpload", {
      ownerId: c.get("userId"),
      channelId: access.context.channel.id,
      size,
      quotaBytes: config.UPLOAD_QUOTA_BYTES,
      pendingMax: UPLOADS_PENDING_MAX,
    });
    if (!created.ok && created.reason === "too_many_uploads") {
      throw new AppError(
        409,
        "too_many_uploads",
        `you have ${UPLOADS_PENDING_MAX} uploads not yet sent: send or cancel some first`,
      );
    }
    if (!created.ok) {
      throw new AppError(
        413,
        "over_quota",
        `your files take ${created.usedBytes} of your ${config.UPLOAD_QUOTA_BYTES} bytes; this one needs ${size}: delete some files first`,
      );
    }
    return c.json({ upload: uploadView(created.upload) }, 201);
  },
);

export const uploads = new Hono<AppEnv>()
  .get("/:uploadId", requireUser, async (c) => {
    const upload = await query(c.env.DATABASE, "ownUpload", {
      id: uploadIdOf(c.req.param("uploadId")),
      ownerId: c.get("userId"),
    });
    if (!upload) throw noSuchUpload();
    return c.json({ upload: uploadView(upload) });
  })
  .patch("/:uploadId", requireUser, async (c) => {
    const ownerId = c.get("userId");
    const id = uploadIdOf(c.req.param("uploadId"));
    const offset = offsetHeader.safeParse(c.req.header("Upload-Offset") ?? "");
    if (!offset.success) throw new AppError(400, "invalid_request", "send the part's offset as Upload-Offset: <bytes>");
    const upload = await query(c.env.DATABASE, "ownUpload", { id, ownerId });
    if (!upload) throw noSuchUpload();
    if (upload.state === "complete") throw uploadComplete();
    if (offset.data !== upload.received) return wrongOffset(c, upload.received);
    const length = Math.min(UPLOAD_PART_BYTES, upload.size - upload.received);
    const bytes = await readPart(c.req.raw, length);
    // The part first, then the count: a part is visible only once it is whole and stored.
    const store = fileStoreOf(c.env);
    const key = partKey(id, partOf(offset.data));
    await storing(() => store.put(key, bytes));
    const advanced = await query(c.env.DATABASE, "advanceUpload", { id, ownerId, offset: offset.data, length });
    if (advanced) {
      count("chatalot_upload_bytes_total", {}, length);
      c.header("Upload-Offset", String(advanced.received));
      return c.json({ upload: uploadView(advanced) });
    }
    // Another request moved it first (a retry of this same part), or it was cancelled.
    const now = await query(c.env.DATABASE, "ownUpload", { id, ownerId });
    if (!now) {
      await store.delete([key]);
      throw noSuchUpload();
    }
    if (now.state === "complete") throw uploadComplete();
    return wrongOffset(c, now.received);
  })
  .delete("/:uploadId", requireUser, async (c) => {
    const cancelled = await query(c.env.DATABASE, "cancelUpload", {
      id: uploadIdOf(c.req.param("uploadId")),
      ownerId: c.get("userId"),
    });
    if (cancelled.outcome !== "marked") {
      if (cancelled.outcome === "missing") throw noSuchUpload();
      throw new AppError(409, "upload_attached", "a message carries this file: delete the message to delete it");
    }
    // Its bytes no longer count; a failure here leaves the row marked for housekeeping.
    try {
      await removeUploadParts(c.env, [cancelled.upload]);
      await query(c.env.DATABASE, "removeUploadRows", { ids: [cancelled.upload.id] });
    } catch (error) {
      log.warn("cancelled_upload_left_to_housekeeping", { error: errorText(error) });
    }
    return c.body(null, 204);
  });

/** GET /api/me/storage: what the person's files take, their quota, and the largest file allowed. */
export const myStorage = new Hono<AppEnv>().get("/", requireUser, async (c) => {
  const config = c.get("config");
  const [usedBytes, { uploadMaxBytes }] = await Promise.all([
    query(c.env.DATABASE, "storageUsage", { userId: c.get("userId") }),
    instanceSettings(c),
  ]);
  return c.json({
    storage: {
      usedBytes,
      quotaBytes: config.UPLOAD_QUOTA_BYTES,
      fileMaxBytes: uploadMaxBytes,
    } satisfies StorageUsage,
  });
});

const uploadComplete = () =>
  new AppError(409, "upload_complete", "every byte of this upload is stored already: send the message");

/** 409 wrong_offset, saying where the upload stands (in the body and as Upload-Offset). */
function wrongOffset(c: Context<AppEnv>, received: number) {
  return c.json(
    {
      error: errorFields(c, "wrong_offset", `this upload stands at byte ${received}: send the part that starts there`, {
        offset: received,
      }),
    },
    409,
    { "Upload-Offset": String(received) },
  );
}
