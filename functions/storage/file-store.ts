/**
 * Where uploaded bytes live (docs/files.md, "Storage"): one small interface, two
 * implementations. Self-hosted workerd writes to a `disk` service over UPLOAD_DIR
 * (bound as UPLOADS_DISK); Cloudflare, `wrangler dev` and the Workers tests use an R2
 * bucket (UPLOADS_BUCKET), taken whenever that binding exists.
 *
 * Usage (every caller goes through `fileStoreOf(env)` and the key helpers below):
 *
 *   const store = fileStoreOf(c.env);
 *   await store.put(pictureKey(id), bytes); // throws StorageFullError when the disk is full
 *   const body = await store.get(pictureKey(id)); // a stream, or null when absent
 *   await store.delete([pictureKey(oldId)]); // absent keys are fine
 *
 * Uploads' parts: `removeUploadParts(env, uploads)` in ./upload-parts.ts removes every
 * part of the given uploads (and nothing else); call it after the transaction that
 * marked them `deleting` commits, then delete their rows (`removeUploadRows`).
 */
import { diskStore } from "./disk-store.ts";
import { r2Store } from "./r2-store.ts";

/** A byte range within one object, both ends included (as HTTP's Range says it). */
export interface ByteRange {
  first: number;
  last: number;
}

export interface StoredObject {
  body: ReadableStream<Uint8Array>;
  /** The object's whole size, whatever range was asked for. */
  size: number;
}

export interface FileStore {
  /** Stores `bytes` under `key` atomically: a reader sees all of them or the old object. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The object (or the given range of it), or null when nothing is stored under `key`. */
  get(key: string, range?: ByteRange): Promise<StoredObject | null>;
  /** Removes the objects; keys with nothing stored are skipped. */
  delete(keys: string[]): Promise<void>;
}

/** The bindings a store needs; workerd's disk service is not known to `wrangler types`. */
export interface StorageBindings {
  UPLOADS_BUCKET?: R2Bucket;
  UPLOADS_DISK?: Fetcher;
}

/** A write refused because the storage is full: routes answer 507 `storage_full`. */
export class StorageFullError extends Error {
  override name = "StorageFullError";
  constructor() {
    super("the server's storage is full");
  }
}

export function fileStoreOf(env: StorageBindings): FileStore {
  if (env.UPLOADS_BUCKET) return r2Store(env.UPLOADS_BUCKET);
  if (env.UPLOADS_DISK) return diskStore(env.UPLOADS_DISK);
  throw new Error("no file storage is bound: UPLOADS_BUCKET (R2) or UPLOADS_DISK (workerd disk service)");
}

/** Keys are ours, never a client's words; this guards the layout against a mistake all the same. */
export const KEY_PATTERN = /^(files\/[0-9a-f-]{36}\/\d{1,6}|pictures\/[0-9a-f-]{36})$/;

export function checkedKey(key: string): string {
  if (!KEY_PATTERN.test(key)) throw new Error(`not a storage key: ${JSON.stringify(key)}`);
  return key;
}

/** `files/<uploadId>/<part>`: one object per UPLOAD_PART_BYTES of an upload. */
export const partKey = (uploadId: string, part: number): string => `files/${uploadId}/${part}`;

/** `pictures/<pictureId>`: avatars, community icons and banners. */
export const pictureKey = (pictureId: string): string => `pictures/${pictureId}`;
