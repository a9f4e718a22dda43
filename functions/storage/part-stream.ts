/**
 * A stored upload read back as one stream, part after part: only the part being sent
 * is open, so a download of any size holds one chunk in memory, never the file.
 */
import { UPLOAD_PART_BYTES } from "../../protocol/index.ts";
import { partKey, type ByteRange, type FileStore } from "./file-store.ts";

export function streamParts(store: FileStore, uploadId: string, range: ByteRange): ReadableStream<Uint8Array> {
  let part = Math.floor(range.first / UPLOAD_PART_BYTES);
  const lastPart = Math.floor(range.last / UPLOAD_PART_BYTES);
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;

  /** The next part's bytes that fall within the range, or null past the last. */
  async function openNext(): Promise<ReadableStreamDefaultReader<Uint8Array> | null> {
    if (part > lastPart) return null;
    const partStart = part * UPLOAD_PART_BYTES;
    const first = Math.max(range.first, partStart) - partStart;
    const last = Math.min(range.last, partStart + UPLOAD_PART_BYTES - 1) - partStart;
    const object = await store.get(partKey(uploadId, part), { first, last });
    if (!object) throw new Error(`part ${part} of upload ${uploadId} is missing from the file store`);
    part += 1;
    return object.body.getReader();
  }

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        reader ??= await openNext();
        if (!reader) return controller.close();
        const chunk = await reader.read();
        if (!chunk.done) return controller.enqueue(chunk.value);
        reader = null;
      }
    },
    async cancel(reason) {
      await reader?.cancel(reason);
    },
  });
}
