/**
 * Downloads (docs/files.md, "Read"): a file's ciphertext, streamed part after part,
 * to whoever may read the history of the channel whose message carries it (the same
 * door as GET /api/channels/:id/messages), or to its owner while no message carries
 * it. Anyone else gets the same 404 as for a file that does not exist. Nothing served
 * here is ever rendered by the origin: the page decrypts it into a blob: URL.
 */
import { Hono, type Context } from "hono";
import { query } from "../../db/index.ts";
import { uuidSchema } from "../../protocol/index.ts";
import { rangeOf } from "../byte-range.ts";
import { channelAccess } from "../channel-access.ts";
import type { AppEnv } from "../context.ts";
import { AppError, errorFields, notFound } from "../errors.ts";
import { requireUser } from "../middleware.ts";
import { fileStoreOf } from "../storage/file-store.ts";
import { streamParts } from "../storage/part-stream.ts";

/** The same for every file: bytes only, never rendered, kept by the browser for good (ids never change content). */
const FILE_HEADERS = {
  "Content-Type": "application/octet-stream",
  "Content-Disposition": "attachment",
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; sandbox",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Cache-Control": "private, max-age=31536000, immutable",
  "Accept-Ranges": "bytes",
};

const noSuchFile = () => notFound("that file");

export const files = new Hono<AppEnv>().get("/:fileId", requireUser, async (c) => {
  const file = await readableFile(c, c.req.param("fileId"));
  const etag = `"${file.id}"`;
  const headers: Record<string, string> = { ...FILE_HEADERS, ETag: etag };
  if (matchesEtag(c.req.header("If-None-Match"), etag)) return c.body(null, 304, headers);
  // If-Range with anything but this file's ETag: the whole file (it cannot have changed, but say what was asked).
  const ifRange = c.req.header("If-Range");
  const answer =
    ifRange === undefined || ifRange === etag
      ? rangeOf(c.req.header("Range"), file.size)
      : rangeOf(undefined, file.size);
  if (answer.kind === "unsatisfiable") {
    return c.json({ error: errorFields(c, "range_not_satisfiable", `the file is ${file.size} bytes long`) }, 416, {
      "Content-Range": `bytes */${file.size}`,
    });
  }
  const range = answer.kind === "part" ? answer.range : { first: 0, last: file.size - 1 };
  headers["Content-Length"] = String(range.last - range.first + 1);
  if (answer.kind === "part") headers["Content-Range"] = `bytes ${range.first}-${range.last}/${file.size}`;
  const body = streamParts(fileStoreOf(c.env), file.id, range);
  return c.body(body, answer.kind === "part" ? 206 : 200, headers);
});

/** The file, if the caller may read it: through its message's channel, or as the owner of an unsent upload. */
async function readableFile(c: Context<AppEnv>, rawId: string) {
  const id = uuidSchema.safeParse(rawId);
  if (!id.success) throw noSuchFile();
  const file = await query(c.env.DATABASE, "downloadableUpload", { id: id.data });
  if (!file || file.state !== "complete") throw noSuchFile();
  if (file.messageId === null) {
    if (file.ownerId !== c.get("userId")) throw noSuchFile();
    return file;
  }
  if (file.messageChannelId === null || file.messageDeletedAt !== null) throw noSuchFile();
  try {
    await channelAccess(c, file.messageChannelId);
  } catch (error) {
    // A channel one may not see answers like a file that does not exist, word for word.
    if (error instanceof AppError && error.status === 404) throw noSuchFile();
    throw error;
  }
  return file;
}

/** If-None-Match: `*`, or a list of entity tags (weak ones compare equal too, RFC 9110 13.1.2). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}
