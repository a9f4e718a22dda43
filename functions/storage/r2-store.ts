/** The file store on an R2 bucket (Cloudflare, `wrangler dev`, the Workers tests). */
import { checkedKey, type ByteRange, type FileStore } from "./file-store.ts";

/** R2 deletes at most this many keys in one call. */
const DELETE_BATCH = 1000;

export function r2Store(bucket: R2Bucket): FileStore {
  return {
    async put(key, bytes) {
      // R2 writes are atomic: an object is visible whole or not at all.
      await bucket.put(checkedKey(key), bytes);
    },
    async get(key, range?: ByteRange) {
      const object = await bucket.get(
        checkedKey(key),
        range ? { range: { offset: range.first, length: range.last - range.first + 1 } } : undefined,
      );
      return object ? { body: object.body, size: object.size } : null;
    },
    async delete(keys) {
      for (let start = 0; start < keys.length; start += DELETE_BATCH) {
        await bucket.delete(keys.slice(start, start + DELETE_BATCH).map(checkedKey));
      }
    },
  };
}
