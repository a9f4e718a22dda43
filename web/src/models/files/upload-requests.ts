/**
 * The upload routes (docs/files.md, "Upload"), as the page calls them: create an
 * upload of a sealed size, send one part at an offset (by XMLHttpRequest, the one
 * browser API that reports an upload's progress), ask where an upload stands,
 * cancel it, and read the person's storage.
 */
import type { StorageUsage, UploadView } from "../../../../protocol/index.ts";
import { ApiError, apiErrorOf } from "../api-client.ts";
import type { Session } from "../session.ts";

/** A part that has sent nothing for this long is given up and sent again: the line is gone. */
const PART_STALL_MS = 20_000;

const uploadPath = (uploadId: string) => `/api/uploads/${encodeURIComponent(uploadId)}`;

/** A `wrong_offset` refusal: the server said where the upload stands (null: it did not say). */
export class WrongOffsetError extends ApiError {
  override name = "WrongOffsetError";
  readonly offset: number | null;
  constructor(error: ApiError, offset: number | null) {
    super(error.status, error.code, error.message, error.retryAfterSeconds);
    this.offset = offset;
  }
}

export async function createUpload(session: Session, channelId: string, size: number): Promise<UploadView> {
  const path = `/api/channels/${encodeURIComponent(channelId)}/uploads`;
  return (await session.request<{ upload: UploadView }>(path, { method: "POST", body: { size } })).upload;
}

export async function uploadStatus(session: Session, uploadId: string): Promise<UploadView> {
  return (await session.request<{ upload: UploadView }>(uploadPath(uploadId))).upload;
}

export async function cancelUpload(session: Session, uploadId: string): Promise<void> {
  await session.request<null>(uploadPath(uploadId), { method: "DELETE" });
}

export async function storageUsage(session: Session): Promise<StorageUsage> {
  const answer = await session.request<{ storage: StorageUsage } | StorageUsage>("/api/me/storage");
  return "storage" in answer ? answer.storage : answer;
}

interface PartOptions {
  signal: AbortSignal;
  /** Bytes of this part the browser has sent so far. */
  onProgress(sentBytes: number): void;
}

/** Sends `part` at `offset`; resolves with where the upload stands after it. */
export function sendPart(
  session: Session,
  uploadId: string,
  offset: number,
  part: Uint8Array<ArrayBuffer>,
  options: PartOptions,
): Promise<UploadView> {
  return session.authorized((accessToken) => patchPart(accessToken, uploadId, offset, part, options));
}

function patchPart(
  accessToken: string,
  uploadId: string,
  offset: number,
  part: Uint8Array<ArrayBuffer>,
  { signal, onProgress }: PartOptions,
): Promise<UploadView> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const request = new XMLHttpRequest();
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    const watchStall = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => {
        settle();
        request.abort();
        reject(new ApiError(0, "timeout", "the upload stalled: the connection may have dropped"));
      }, PART_STALL_MS);
    };
    const onAbort = () => {
      settle();
      request.abort();
      reject(signal.reason);
    };
    // The browser knows the line is gone before the request does: the part is sent again once it is back.
    const onOffline = () => {
      settle();
      request.abort();
      reject(new ApiError(0, "network", "the connection dropped"));
    };
    const settle = () => {
      clearTimeout(stallTimer);
      signal.removeEventListener("abort", onAbort);
      window.removeEventListener("offline", onOffline);
    };
    signal.addEventListener("abort", onAbort);
    window.addEventListener("offline", onOffline);
    request.open("PATCH", uploadPath(uploadId));
    request.setRequestHeader("Authorization", `Bearer ${accessToken}`);
    request.setRequestHeader("Upload-Offset", String(offset));
    request.setRequestHeader("Content-Type", "application/octet-stream");
    request.setRequestHeader("Accept", "application/json");
    request.upload.onprogress = (event) => {
      watchStall();
      onProgress(event.loaded);
    };
    request.onerror = () => {
      settle();
      reject(new ApiError(0, "network", "the server could not be reached: check your connection"));
    };
    request.onload = () => {
      settle();
      const json = parseJson(request.responseText);
      if (request.status >= 200 && request.status < 300) {
        const upload = (json as { upload?: UploadView } | null)?.upload;
        // An answer without the upload still means the part is stored.
        return resolve(upload ?? ({ offset: offset + part.byteLength } as UploadView));
      }
      const error = apiErrorOf(request.status, request.statusText, request.getResponseHeader("Retry-After"), json);
      reject(error.code === "wrong_offset" ? new WrongOffsetError(error, offsetIn(json)) : error);
    };
    watchStall();
    request.send(part);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Where a `wrong_offset` body says the upload stands: `{error: {offset}}`, `{offset}` or `{upload}`. */
function offsetIn(json: unknown): number | null {
  const body = json as { offset?: unknown; error?: { offset?: unknown }; upload?: { offset?: unknown } } | null;
  const offset = body?.error?.offset ?? body?.offset ?? body?.upload?.offset;
  return typeof offset === "number" && Number.isSafeInteger(offset) && offset >= 0 ? offset : null;
}
