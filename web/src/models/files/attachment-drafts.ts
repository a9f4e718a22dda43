/**
 * The files waiting in a channel's composer: each starts uploading the moment it is
 * added (so it is often stored by the time the caption is written), shows its
 * progress, can be marked as a spoiler or removed (cancelling its upload), and goes
 * with the next message sent. A channel's tray outlives the channel view, as its
 * files' uploads do: switching channels and back finds them where they were.
 */
import { signal, type Signal } from "@preact/signals";
import { ATTACHMENTS_PER_MESSAGE_MAX } from "../../../../protocol/index.ts";
import type { Session } from "../session.ts";
import type { OutgoingFile } from "./outgoing-files.ts";
import { storageOf } from "./storage-usage.ts";
import { startUpload } from "./upload.ts";

export interface DraftFile extends Omit<OutgoingFile, "isSpoiler"> {
  /** Names the file in the tray (two files may share a name). */
  id: string;
  isSpoiler: Signal<boolean>;
}

function createAttachmentDrafts(session: Session, channelId: string) {
  const files = signal<readonly DraftFile[]>([]);
  /** Why some files were not added (too many), for the composer to say. */
  const notice = signal<string | null>(null);
  const storage = storageOf(session);
  let counter = 0;

  const find = (id: string) => files.peek().find((draft) => draft.id === id);

  return {
    files,
    notice,
    /** Adds files to the tray (at most ATTACHMENTS_PER_MESSAGE_MAX) and starts uploading them. */
    add(chosen: readonly File[]): void {
      const room = ATTACHMENTS_PER_MESSAGE_MAX - files.peek().length;
      const taken = chosen.slice(0, Math.max(0, room));
      notice.value =
        taken.length < chosen.length
          ? `A message carries at most ${ATTACHMENTS_PER_MESSAGE_MAX} files: ${chosen.length - taken.length} of those were not added`
          : null;
      if (taken.length === 0) return;
      const added = taken.map((file): DraftFile => ({
        id: `draft-${++counter}`,
        upload: startUpload(file, {
          session,
          channelId,
          storage: () => storage.ensure(),
          readStorage: () => storage.read(),
        }),
        isSpoiler: signal(false),
        previewUrl: isPreviewable(file) ? URL.createObjectURL(file) : null,
      }));
      files.value = [...files.peek(), ...added];
    },
    /** Takes the file out of the tray; its upload is cancelled and removed from the server. */
    remove(id: string): void {
      const draft = find(id);
      if (!draft) return;
      draft.upload.cancel();
      if (draft.previewUrl) URL.revokeObjectURL(draft.previewUrl);
      files.value = files.peek().filter((other) => other !== draft);
      notice.value = null;
    },
    /** Files were offered that cannot be attached here: the tray says why. */
    refuse(reason: string): void {
      notice.value = reason;
    },
    toggleSpoiler(id: string): void {
      const draft = find(id);
      if (draft) draft.isSpoiler.value = !draft.isSpoiler.peek();
    },
    /** Why the tray's files cannot go with a message now (one failed), in words; null when they can. */
    blocker(): string | null {
      const failed = files.peek().find((draft) => draft.upload.phase.peek() === "failed");
      return failed ? `${failed.upload.name.peek()} was not uploaded: remove it or try it again before sending` : null;
    },
    /** The files as the message being sent carries them (the tray keeps them until `clear`). */
    outgoing: (): OutgoingFile[] =>
      files.peek().map(({ upload, isSpoiler, previewUrl }) => ({ upload, isSpoiler: isSpoiler.peek(), previewUrl })),
    /** The files went with a message: the tray empties, their uploads go on. */
    clear(): void {
      files.value = [];
      notice.value = null;
    },
  };
}

export type AttachmentDrafts = ReturnType<typeof createAttachmentDrafts>;

/** Trays by session, then by signed-in person and channel: a page signed in as someone else starts empty. */
const trays = new WeakMap<Session, Map<string, AttachmentDrafts>>();

export function attachmentDraftsFor(session: Session, channelId: string): AttachmentDrafts {
  let bySession = trays.get(session);
  if (!bySession) trays.set(session, (bySession = new Map()));
  const key = `${session.user.peek()?.id ?? ""}/${channelId}`;
  let drafts = bySession.get(key);
  if (!drafts) bySession.set(key, (drafts = createAttachmentDrafts(session, channelId)));
  return drafts;
}

/** Images the tray shows a thumbnail of (an SVG is shown as a file: it is sent as one). */
const isPreviewable = (file: File) => file.type.startsWith("image/") && file.type !== "image/svg+xml";
