/**
 * One file on its way to the server (docs/files.md, "A file's way"): an image made
 * ready (re-encoded without its metadata, measured), encrypted with a fresh key,
 * uploaded part by part. A part the network loses is sent again from where the
 * server says the upload stands, after a wait (backoff, or the moment the browser is
 * back online): a 25 MiB file on a flaky line arrives. The person can cancel it
 * (nothing stays on the server) and, after a refusal, try again.
 */
import { computed, signal } from "@preact/signals";
import { encryptAttachment, newAttachmentKey, type Attachment } from "../../../../e2ee/index.ts";
import { bytesToBase64, UPLOAD_PART_BYTES, type StorageUsage } from "../../../../protocol/index.ts";
import type { Session } from "../session.ts";
import { prepareImage } from "./image-prep.ts";
import { fileNameFor } from "./file-names.ts";
import { cancelUpload, createUpload, sendPart, uploadStatus, WrongOffsetError } from "./upload-requests.ts";
import { emptyFileInWords, isPassing, refusalInWords, tooLargeInWords } from "./upload-words.ts";
import { untilOnline, waitBeforeRetry } from "./line-waits.ts";

export type UploadPhase = "preparing" | "uploading" | "waiting" | "complete" | "failed" | "cancelled";

export interface UploadOptions {
  session: Session;
  channelId: string;
  /** The person's storage (null: it could not be read): the size limit is checked before encrypting. */
  storage: () => Promise<StorageUsage | null>;
  /** Reads the storage again (after an over-quota refusal, for its figures). */
  readStorage: () => Promise<StorageUsage | null>;
}

/** What the file becomes in the sealed message, less the spoiler the person chooses. */
export type UploadedFile = Omit<Attachment, "spoiler">;

export function startUpload(file: File, options: UploadOptions) {
  const { session, channelId } = options;
  const phase = signal<UploadPhase>("preparing");
  /** Sealed bytes the server holds, and the part in flight's bytes sent so far. */
  const storedBytes = signal(0);
  const inFlightBytes = signal(0);
  const sealedBytes = signal(0);
  const problem = signal<string | null>(null);
  const name = signal(fileNameFor(file.name, file.type, file.type));
  let uploadId: string | null = null;
  let uploaded: UploadedFile | null = null;
  /** What `run` keeps between tries: the sealed bytes are made once. */
  let sealed: { bytes: Uint8Array<ArrayBuffer>; file: Omit<UploadedFile, "fileId"> } | null = null;
  let stop = new AbortController();

  async function seal(): Promise<NonNullable<typeof sealed>> {
    const maxBytes = (await options.storage())?.fileMaxBytes;
    if (file.size === 0) throw new Refusal(emptyFileInWords(name.peek()));
    if (maxBytes !== undefined && file.size > maxBytes) throw new Refusal(tooLargeInWords(name.peek(), maxBytes));
    const image = await prepareImage(file).catch(() => null);
    const bytes = image?.bytes ?? new Uint8Array(await file.arrayBuffer());
    const type = image?.type ?? sentTypeOf(file.type);
    name.value = fileNameFor(file.name, file.type, type);
    // A re-encoded image can come out larger than its original.
    if (maxBytes !== undefined && bytes.byteLength > maxBytes)
      throw new Refusal(tooLargeInWords(name.peek(), maxBytes));
    const key = newAttachmentKey();
    const encrypted = await encryptAttachment(key, bytes);
    sealedBytes.value = encrypted.byteLength;
    const measured = image && { width: image.width, height: image.height, blurhash: image.blurhash };
    return {
      bytes: encrypted as Uint8Array<ArrayBuffer>,
      file: { key: bytesToBase64(key), name: name.peek(), type, size: bytes.byteLength, ...measured },
    };
  }

  /** Runs `step` until it works or is refused for good, waiting out the network in between. */
  async function persist<T>(step: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await step();
      } catch (caught) {
        if (stop.signal.aborted || !isPassing(caught)) throw caught;
        phase.value = "waiting";
        await waitBeforeRetry(attempt, stop.signal, caught);
        phase.value = "uploading";
      }
    }
  }

  async function run(): Promise<void> {
    const { signal: aborted } = stop;
    try {
      phase.value = "preparing";
      problem.value = null;
      sealed ??= await seal();
      aborted.throwIfAborted();
      phase.value = "uploading";
      const { bytes } = sealed;
      let offset: number;
      if (uploadId === null) {
        const view = await persist(() => createUpload(session, channelId, bytes.byteLength));
        uploadId = view.id;
        offset = view.offset;
        // Cancelled while the server made it: it is removed now, not left for housekeeping.
        if (aborted.aborted) return void forget();
      } else offset = await whereItStands(uploadId);
      const id = uploadId;
      storedBytes.value = offset;
      let attempt = 0;
      while (offset < bytes.byteLength) {
        aborted.throwIfAborted();
        const part = bytes.subarray(offset, offset + UPLOAD_PART_BYTES);
        try {
          offset = (await sendPart(session, id, offset, part, { signal: aborted, onProgress })).offset;
          attempt = 0;
        } catch (caught) {
          if (aborted.aborted) throw caught;
          if (caught instanceof WrongOffsetError && caught.offset !== null) offset = caught.offset;
          else if (caught instanceof WrongOffsetError || isComplete(caught)) offset = await whereItStands(id);
          else if (!isPassing(caught)) throw caught;
          else {
            phase.value = "waiting";
            await waitBeforeRetry(attempt++, aborted, caught);
            phase.value = "uploading";
            offset = await whereItStands(id);
          }
        } finally {
          inFlightBytes.value = 0;
        }
        storedBytes.value = offset;
      }
      uploaded = { fileId: id, ...sealed.file };
      sealed = null; // the page need not hold the ciphertext any longer
      phase.value = "complete";
    } catch (caught) {
      if (aborted.aborted) return;
      // Gone from the server (removed by housekeeping, or by another tab): trying again starts a new one.
      if ((caught as { code?: string } | null)?.code === "no_such_upload") uploadId = null;
      problem.value = caught instanceof Refusal ? caught.message : await refusalOf(caught);
      phase.value = "failed";
    }
  }

  const onProgress = (sentBytes: number) => (inFlightBytes.value = sentBytes);
  const whereItStands = (id: string) => persist(() => uploadStatus(session, id)).then((view) => view.offset);

  async function refusalOf(caught: unknown): Promise<string> {
    const isOverQuota = (caught as { code?: string } | null)?.code === "over_quota";
    const storage = await (isOverQuota ? options.readStorage() : options.storage());
    return refusalInWords(caught, name.peek(), file.size, storage);
  }

  /** Removes the upload from the server; the page may be offline, so it waits for the line. */
  function forget(): void {
    const id = uploadId;
    uploadId = null;
    if (id === null) return;
    void (async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          return await cancelUpload(session, id);
        } catch (caught) {
          // Already gone, or refused for good: housekeeping removes what no message took.
          if (!isPassing(caught)) return;
          await untilOnline();
          await new Promise((wake) => setTimeout(wake, 1000 * 2 ** attempt));
        }
      }
    })();
  }

  void run();

  return {
    file,
    /** The name it is sent under (an image re-encoded to another type is named after it). */
    name,
    phase,
    problem,
    /** 0 to 1: how much of the file the server holds. */
    progress: computed(() =>
      phase.value === "complete"
        ? 1
        : sealedBytes.value === 0
          ? 0
          : Math.min(1, (storedBytes.value + inFlightBytes.value) / sealedBytes.value),
    ),
    /** Resolves with the file once the server holds all of it; rejects with words when it fails or is cancelled. */
    whenUploaded(): Promise<UploadedFile> {
      return new Promise((resolve, reject) => {
        const unsubscribe = phase.subscribe((now) => {
          if (now === "complete" && uploaded) resolve(uploaded);
          else if (now === "failed") reject(new Error(problem.peek() ?? `${name.peek()} could not be uploaded`));
          else if (now === "cancelled") reject(new Error(`the upload of ${name.peek()} was cancelled`));
          else return;
          queueMicrotask(() => unsubscribe());
        });
      });
    },
    /** After a refusal: the same file again, from where the server stands. */
    retry(): void {
      if (phase.peek() !== "failed") return;
      stop = new AbortController();
      void run();
    },
    /** Stops sending and removes what the server holds (the server keeps a file a message carries). */
    cancel(): void {
      if (phase.peek() === "cancelled") return;
      stop.abort(new DOMException("the upload was cancelled", "AbortError"));
      phase.value = "cancelled";
      sealed = null;
      forget();
    },
  };
}

export type FileUpload = ReturnType<typeof startUpload>;

/** Refused before any request: the words are already the person's. */
class Refusal extends Error {
  override name = "Refusal";
}

/** The type a sealed attachment may carry: the browser's word, unless empty or longer than the schema allows. */
const sentTypeOf = (type: string) => (type && type.length <= 127 ? type : "application/octet-stream");

/** A part sent to an upload the server already has whole (its answer to the last part was lost). */
const isComplete = (caught: unknown) => (caught as { code?: string } | null)?.code === "upload_complete";
