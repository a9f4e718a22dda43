/**
 * The file store on workerd's writable `disk` service (self-hosted, UPLOAD_DIR). The
 * service answers HTTP on paths: PUT writes a temporary file and renames it (atomic,
 * parent directories created), GET serves a file (one Range honoured, 206) or lists a
 * directory as JSON, DELETE removes a file or a whole directory.
 *
 * A write the disk cannot take (ENOSPC) surfaces as a thrown error flagged `overloaded`
 * (workerd maps "no space left" to that kind), with the temporary file already gone:
 * that becomes StorageFullError. Seen with workerd 2026-11-17 on a full tmpfs.
 */
import { checkedKey, StorageFullError, type ByteRange, type FileStore } from "./file-store.ts";

/** Any host: the binding routes every request to the disk service. */
const ORIGIN = "http://uploads";

export function diskStore(disk: Fetcher): FileStore {
  const url = (path: string) => `${ORIGIN}/${path}`;
  return {
    async put(key, bytes) {
      let response: Response;
      try {
        response = await disk.fetch(url(checkedKey(key)), { method: "PUT", body: bytes });
      } catch (error) {
        if ((error as { overloaded?: unknown }).overloaded === true) throw new StorageFullError();
        throw error;
      }
      if (!response.ok) throw new Error(`the upload directory refused a write (${response.status})`);
    },
    async get(key, range?: ByteRange) {
      const response = await disk.fetch(url(checkedKey(key)), {
        headers: range ? { Range: `bytes=${range.first}-${range.last}` } : {},
      });
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (!response.ok || !response.body) throw new Error(`the upload directory refused a read (${response.status})`);
      const size = range ? wholeSize(response) : Number(response.headers.get("Content-Length"));
      return { body: response.body, size };
    },
    async delete(keys) {
      const directories = new Set<string>();
      for (const key of keys) {
        await drain(await disk.fetch(url(checkedKey(key)), { method: "DELETE" }));
        directories.add(key.slice(0, key.lastIndexOf("/")));
      }
      // An upload's parts sit in a directory of their own (files/<id>/): once they are
      // gone the directory goes too, so removed uploads leave nothing behind.
      for (const directory of directories) {
        if (!directory.startsWith("files/")) continue;
        const listing = await disk.fetch(url(directory));
        const entries = listing.ok ? ((await listing.json()) as unknown[]) : (await drain(listing), null);
        if (entries?.length === 0) await drain(await disk.fetch(url(directory), { method: "DELETE" }));
      }
    },
  };
}

/** `Content-Range: bytes a-b/size` of a 206. */
function wholeSize(response: Response): number {
  const match = /\/(\d+)$/.exec(response.headers.get("Content-Range") ?? "");
  return match ? Number(match[1]) : Number(response.headers.get("Content-Length"));
}

async function drain(response: Response): Promise<void> {
  await response.body?.cancel();
}
