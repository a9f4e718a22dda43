/**
 * A channel's files as the reader's page holds them (docs/files.md, "Read"): fetched
 * from `GET /api/files/:fileId` with the session's token, decrypted here with the key
 * the message sealed, and shown from a `blob:` URL. One fetch per file however many
 * places ask at once; a URL stays while something shows it, and unshown files are
 * revoked once the cache passes FILE_CACHE_BYTES_MAX, and all of them when the
 * channel is left.
 */
import { effect, signal, type ReadonlySignal, type Signal } from "@preact/signals";
import { AttachmentCryptoError, decryptAttachment, type Attachment } from "../../../../e2ee/index.ts";
import { base64ToBytes } from "../../../../protocol/index.ts";
import { ApiError, apiErrorOf, describeError } from "../api-client.ts";
import type { Session } from "../session.ts";
import { blobTypeOf } from "./file-kinds.ts";

/** Decrypted files kept for a channel beyond those on screen: a few dozen photos. */
export const FILE_CACHE_BYTES_MAX = 150 * 1024 * 1024;

export type FileState =
  { status: "idle" } | { status: "loading" } | { status: "ready"; url: string } | { status: "failed"; error: string };

interface Entry {
  state: Signal<FileState>;
  loading: Promise<string> | null;
  bytes: number;
  /** Places showing the URL now: never revoked under them. */
  users: number;
  lastUsed: number;
}

export type FileCache = ReturnType<typeof createFileCache>;

export function createFileCache(session: Session) {
  const entries = new Map<string, Entry>();
  let heldBytes = 0;
  let isDisposed = false;
  /** Spoilers the reader uncovered here: shown inline and in the lightbox from then on. */
  const revealed = signal<ReadonlySet<string>>(new Set());

  const entryOf = (fileId: string): Entry => {
    let entry = entries.get(fileId);
    if (!entry) {
      entry = { state: signal<FileState>({ status: "idle" }), loading: null, bytes: 0, users: 0, lastUsed: 0 };
      entries.set(fileId, entry);
    }
    return entry;
  };

  /** The file's URL, fetching and decrypting it the first time; throws an Error whose message says what went wrong. */
  function load(attachment: Attachment): Promise<string> {
    const entry = entryOf(attachment.fileId);
    entry.lastUsed = Date.now();
    const state = entry.state.peek();
    if (state.status === "ready") return Promise.resolve(state.url);
    entry.loading ??= fetchOpened(attachment)
      .then((plaintext) => {
        if (isDisposed) throw new Error("the channel was left");
        // decryptAttachment's result sits on a plain ArrayBuffer of its own.
        const blob = new Blob([plaintext as Uint8Array<ArrayBuffer>], { type: blobTypeOf(attachment.type) });
        const url = URL.createObjectURL(blob);
        entry.bytes = plaintext.byteLength;
        heldBytes += entry.bytes;
        entry.state.value = { status: "ready", url };
        evictUnused();
        return url;
      })
      .catch((error: unknown) => {
        const words = failureWords(error);
        entry.state.value = { status: "failed", error: words };
        throw new Error(words);
      })
      .finally(() => (entry.loading = null));
    if (entry.state.peek().status !== "ready") entry.state.value = { status: "loading" };
    return entry.loading;
  }

  async function fetchOpened(attachment: Attachment): Promise<Uint8Array> {
    const sealed = await session.authorized(async (accessToken) => {
      let response: Response;
      try {
        response = await fetch(`/api/files/${encodeURIComponent(attachment.fileId)}`, {
          headers: { Authorization: `Bearer ${accessToken}` },
          credentials: "same-origin",
        });
      } catch {
        throw new ApiError(0, "network", "the server could not be reached: check your connection and try again");
      }
      if (!response.ok) {
        const json: unknown = await response.json().catch(() => null);
        throw apiErrorOf(response.status, response.statusText, response.headers.get("Retry-After"), json);
      }
      return new Uint8Array(await response.arrayBuffer());
    });
    return decryptAttachment(base64ToBytes(attachment.key), sealed);
  }

  /** Drops the least recently used files nothing shows until the rest fit FILE_CACHE_BYTES_MAX. */
  function evictUnused(): void {
    if (heldBytes <= FILE_CACHE_BYTES_MAX) return;
    const unused = [...entries.entries()]
      .filter(([, entry]) => entry.users === 0 && entry.state.peek().status === "ready")
      .sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    for (const [fileId, entry] of unused) {
      if (heldBytes <= FILE_CACHE_BYTES_MAX) break;
      forget(fileId, entry);
    }
  }

  function forget(fileId: string, entry: Entry): void {
    const state = entry.state.peek();
    if (state.status === "ready") URL.revokeObjectURL(state.url);
    heldBytes -= entry.bytes;
    entries.delete(fileId);
  }

  // Leaving the channel (the chat model is disposed) frees every file it decrypted.
  effect(() => () => {
    isDisposed = true;
    for (const [fileId, entry] of [...entries]) forget(fileId, entry);
  });

  return {
    load,
    /** Read as a signal in render: a model's methods run untracked, so a method reading it would not re-render. */
    revealed: revealed as ReadonlySignal<ReadonlySet<string>>,
    reveal(fileId: string): void {
      revealed.value = new Set([...revealed.peek(), fileId]);
    },
    /** The file's state, to render: idle until something loads it. */
    stateOf(fileId: string): ReadonlySignal<FileState> {
      return entryOf(fileId).state;
    },
    /** Something shows the file from now until the returned function runs: its URL stays. */
    use(fileId: string): () => void {
      const entry = entryOf(fileId);
      entry.users++;
      entry.lastUsed = Date.now();
      return () => {
        entry.users = Math.max(0, entry.users - 1);
        evictUnused();
      };
    },
  };
}

/** Why a file cannot be shown, in words; the server is the one that could have changed it. */
function failureWords(error: unknown): string {
  if (error instanceof AttachmentCryptoError) return "This file could not be verified: it was changed on the server";
  if (error instanceof ApiError && error.status === 404) return "This file was removed";
  if (error instanceof ApiError && error.status === 0)
    return "This file could not be downloaded: check your connection";
  return `This file could not be downloaded: ${describeError(error)}`;
}
