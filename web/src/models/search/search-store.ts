/**
 * Where the search index rests: the person's own IndexedDB database in this browser,
 * every record gzipped then sealed with AES-256-GCM under a key made on this device
 * and stored beside them as a non-extractable CryptoKey (script can use it, never
 * read it out). Nothing of the index is on disk in clear. The key sits in the same
 * profile as the device's message keys (device-store.ts), so the index is exactly as
 * safe at rest as the keys that decrypt the messages themselves; clearing the index
 * deletes the key with it.
 */
import { clear, createStore, del, entries, get, set, type UseStore } from "idb-keyval";

const KEY_NAME = "key";
const IV_BYTES = 12;

interface Sealed {
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
}

export type SearchStore = ReturnType<typeof openSearchStore>;

/** The database of one person's index in this browser. */
const storeOf = (userId: string): UseStore => createStore(`chatalot-search-${userId}`, "index");

export function openSearchStore(userId: string) {
  const store = storeOf(userId);
  let key: Promise<CryptoKey> | null = null;
  /** Closed when the index is cleared: a write still under way must not bring it back. */
  let isClosed = false;

  const deviceKey = () =>
    (key ??= (async () => {
      const held = await get<CryptoKey>(KEY_NAME, store);
      if (held) return held;
      const made = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
      await set(KEY_NAME, made, store);
      return made;
    })());

  return {
    async read<T>(name: string): Promise<T | undefined> {
      const sealed = await get<Sealed>(name, store);
      if (!sealed) return undefined;
      try {
        const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, await deviceKey(), sealed.data);
        return JSON.parse(new TextDecoder().decode(await gunzip(plain))) as T;
      } catch {
        // Sealed under a key this browser no longer has (cleared meanwhile): as if never written.
        return undefined;
      }
    },
    async write(name: string, value: unknown): Promise<void> {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const plain = await gzip(new TextEncoder().encode(JSON.stringify(value)));
      const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await deviceKey(), plain);
      if (!isClosed) await set(name, { iv, data } satisfies Sealed, store);
    },
    remove: async (name: string) => (isClosed ? undefined : del(name, store)),
    close(): void {
      isClosed = true;
    },
    /** Deletes every record and the key: a later write starts under a new key. */
    async clear(): Promise<void> {
      key = null;
      await clear(store);
    },
    /** Bytes of sealed records at rest (the index's size on disk, less IndexedDB's own overhead). */
    async bytesAtRest(): Promise<number> {
      let bytes = 0;
      for (const [, value] of await entries<string, Sealed | CryptoKey>(store))
        if ("data" in value) bytes += value.data.byteLength + value.iv.byteLength;
      return bytes;
    },
  };
}

/** Signing out: the person's index in this browser goes, key and all. */
export const forgetSearchIndex = (userId: string) => clear(storeOf(userId));

const gzip = (bytes: Uint8Array<ArrayBuffer>) => through(bytes, new CompressionStream("gzip"));
const gunzip = (bytes: ArrayBuffer) => through(new Uint8Array(bytes), new DecompressionStream("gzip"));

function through(
  bytes: Uint8Array<ArrayBuffer>,
  stream: CompressionStream | DecompressionStream,
): Promise<ArrayBuffer> {
  return new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer();
}
