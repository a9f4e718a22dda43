/**
 * The files of the person's messages on their way, by the message's client id: the
 * timeline shows each pending message's files with their progress, and the message
 * is sealed and sent only once every one of them is stored (docs/files.md, "Send").
 */
import { computed, signal } from "@preact/signals";
import type { Attachment } from "../../../../e2ee/index.ts";
import type { FileUpload, UploadPhase } from "./upload.ts";

export interface OutgoingFile {
  upload: FileUpload;
  isSpoiler: boolean;
  /** A blob: URL of the image the person chose, for its thumbnail (null: not an image). */
  previewUrl: string | null;
}

/** The message's attachments once every file is stored; rejects with the first failure's words. */
export async function attachmentsOf(files: readonly OutgoingFile[]): Promise<Attachment[]> {
  // Every failure is seen (none left unhandled); the first in the message's order is the one told.
  const settled = await Promise.allSettled(files.map(({ upload }) => upload.whenUploaded()));
  return settled.map((outcome, index) => {
    if (outcome.status === "rejected") throw outcome.reason;
    return { ...outcome.value, ...(files[index]!.isSpoiler && { spoiler: true }) };
  });
}

export function createOutgoingFiles() {
  const byClientId = signal<ReadonlyMap<string, readonly OutgoingFile[]>>(new Map());
  const waiters: (() => void)[] = [];
  const watches = new Map<string, (() => void)[]>();
  const isIdle = () =>
    [...byClientId.peek().values()].every((files) => files.every((file) => isSettled(file.upload.phase.peek())));

  return {
    /** The files of the message `clientId` while it is on its way (none once it is stored). */
    of: (clientId: string): readonly OutgoingFile[] => byClientId.value.get(clientId) ?? [],
    /** Whether some message's files are still uploading. */
    isUploading: computed(() =>
      [...byClientId.value.values()].some((files) => files.some((file) => !isSettled(file.upload.phase.value))),
    ),
    hold(clientId: string, files: readonly OutgoingFile[]): void {
      byClientId.value = new Map(byClientId.peek()).set(clientId, files);
      watches.set(
        clientId,
        files.map(({ upload }) => upload.phase.subscribe(() => wakeIfIdle())),
      );
    },
    /** The message was stored (or removed): its files are no longer the page's to show. */
    release(clientId: string, { cancel }: { cancel: boolean }): void {
      const files = byClientId.peek().get(clientId);
      if (!files) return;
      watches.get(clientId)?.forEach((unsubscribe) => unsubscribe());
      watches.delete(clientId);
      for (const file of files) {
        if (cancel) file.upload.cancel();
        if (file.previewUrl) URL.revokeObjectURL(file.previewUrl);
      }
      const next = new Map(byClientId.peek());
      next.delete(clientId);
      byClientId.value = next;
      wakeIfIdle();
    },
    /** Resolves once no upload is under way (each stored, failed or cancelled). */
    whenIdle: (): Promise<void> =>
      new Promise((resolve) => {
        if (isIdle()) resolve();
        else waiters.push(resolve);
      }),
  };

  function wakeIfIdle(): void {
    if (isIdle()) waiters.splice(0).forEach((wake) => wake());
  }
}

export type OutgoingFiles = ReturnType<typeof createOutgoingFiles>;

const isSettled = (phase: UploadPhase) => phase === "complete" || phase === "failed" || phase === "cancelled";
