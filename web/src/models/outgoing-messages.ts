/**
 * The user's own messages on their way: each shows at once as a pending entry
 * (with its reply, thread, mentions and files), goes out as a `send` request (one
 * with files once they are all uploaded), becomes the stored message when the ack
 * arrives, or is marked failed with the reason, to be sent again or removed only
 * when the user asks.
 */
import type { Signal } from "@preact/signals";
import { describeError } from "./api-client.ts";
import type { MessageContent } from "../../../e2ee/index.ts";
import { textContent } from "./content.ts";
import { attachmentsOf, createOutgoingFiles, type OutgoingFile } from "./files/outgoing-files.ts";
import { hasMentions, mentionsIn, type Person } from "./mentions.ts";
import { newClientId, type PendingRequests, type Request } from "./pending-requests.ts";
import { entryKey, NO_MENTIONS, updateEntry, upsertEntries, type TimelineEntry } from "./timeline.ts";

export interface Placement {
  replyToSeq: number | null;
  threadRootSeq: number | null;
}

interface OutgoingDependencies {
  ownUserId: string;
  ownUsername: () => string;
  entries: Signal<TimelineEntry[]>;
  requests: PendingRequests;
  /** Who "@name" can mean, and whether @everyone and @here may be used. */
  people: () => readonly Person[];
  canMentionEveryone: () => boolean;
  /** Why a message could not even be sent (too long). */
  problem: Signal<string | null>;
  /** The payload for the content: sealed for the channel's group. */
  seal(content: MessageContent): Promise<string>;
}

export function createOutgoingMessages(dependencies: OutgoingDependencies) {
  const { ownUserId, entries, requests, problem } = dependencies;
  let localOrder = 0;
  const files = createOutgoingFiles();
  /** Messages with files not handed to `requests` yet, by client id: how to take them on from where they are. */
  const unsent = new Map<string, () => void>();
  /** Messages between their files' upload and their hand-over to `requests` (or their failure). */
  const sending = new Set<string>();
  const sentWaiters: (() => void)[] = [];
  type SendFrame = Omit<Extract<Request, { type: "send" }>, "payload">;

  /** Waits for the message's files, then seals it with them and sends it. */
  async function sendWithFiles(frame: SendFrame, text: string, placement: Placement, held: readonly OutgoingFile[]) {
    sending.add(frame.clientId);
    try {
      const attachments = await attachmentsOf(held);
      if (!unsent.has(frame.clientId)) return; // removed while its files uploaded
      const payload = await dependencies.seal(textContent(text, placement, attachments));
      if (!unsent.delete(frame.clientId)) return;
      requests.add({ ...frame, payload, attachments: attachments.map((attachment) => attachment.fileId) });
    } catch (caught) {
      if (unsent.has(frame.clientId)) outgoing.fail(frame.clientId, describeError(caught));
    } finally {
      sending.delete(frame.clientId);
      if (sending.size === 0) sentWaiters.splice(0).forEach((wake) => wake());
    }
  }

  const outgoing = {
    /** The files of the person's messages on their way, with their progress. */
    files,
    /**
     * Shows the message as pending and sends it (once its files are uploaded); false
     * (with `problem` set) when it cannot go.
     */
    submit(text: string, placement: Placement, attached: readonly OutgoingFile[] = []): boolean {
      const trimmed = text.trim();
      if (!trimmed && attached.length === 0) return false;
      let content: MessageContent;
      try {
        content = textContent(trimmed, placement);
      } catch (caught) {
        problem.value = describeError(caught);
        return false;
      }
      const clientId = newClientId();
      const found = mentionsIn(trimmed, dependencies.people(), dependencies.canMentionEveryone());
      const mentions = hasMentions(found) ? found : null;
      const frame: Omit<Extract<Request, { type: "send" }>, "payload"> = {
        type: "send",
        clientId,
        ...(placement.replyToSeq !== null && { replyToSeq: placement.replyToSeq }),
        ...(placement.threadRootSeq !== null && { threadRootSeq: placement.threadRootSeq }),
        ...(mentions && { mentions }),
      };
      entries.value = upsertEntries(entries.value, [
        {
          key: entryKey(ownUserId, clientId),
          clientId,
          seq: null,
          event: 0,
          senderId: ownUserId,
          senderName: dependencies.ownUsername(),
          isOwn: true,
          text: trimmed,
          unreadable: null,
          isEncrypted: true,
          isHidden: false,
          sentAt: null,
          state: "pending",
          failure: null,
          localOrder: ++localOrder,
          ...placement,
          mentions: mentions ?? NO_MENTIONS,
          isMentioningMe: false,
          editedAt: null,
          isDeleted: false,
          pinnedAt: null,
          reactions: [],
          threadReplyCount: 0,
          isInTimeline: false,
        },
      ]);
      if (attached.length > 0) {
        files.hold(clientId, attached);
        const send = () => void sendWithFiles(frame, trimmed, placement, attached);
        unsent.set(clientId, send);
        send();
        return true;
      }
      // Shown at once; it goes out once sealed (the channel's group may still be joining).
      dependencies.seal(content).then(
        (payload) => requests.add({ ...frame, payload }),
        (caught: unknown) => this.fail(clientId, describeError(caught)),
      );
      return true;
    },
    /** Refused for a reason waiting cannot fix (or never sealed): shown as not sent, and not resent on its own. */
    fail(clientId: string, reason: string): void {
      requests.markFailed(clientId);
      entries.value = updateEntry(entries.value, entryKey(ownUserId, clientId), (entry) =>
        entry.state === "stored" ? entry : { ...entry, state: "failed", failure: reason },
      );
    },
    /** Sends a failed message again, under its old client id (its failed uploads go on from where they stopped). */
    retry(clientId: string): void {
      entries.value = updateEntry(entries.value, entryKey(ownUserId, clientId), (entry) => ({
        ...entry,
        state: "pending",
        failure: null,
      }));
      const resume = unsent.get(clientId);
      if (!resume) return requests.retry(clientId);
      for (const { upload } of files.of(clientId)) upload.retry();
      resume();
    },
    /** Resolves once every message with files was handed to `requests`, or failed. */
    whenHandedOver: (): Promise<void> =>
      new Promise((resolve) => (sending.size === 0 ? resolve() : sentWaiters.push(resolve))),
    /** The ack came: the message holds its files now. */
    stored(clientId: string): void {
      files.release(clientId, { cancel: false });
    },
    /**
     * Takes back a message not sent (failed, or still uploading its files): it leaves
     * the timeline and its uploads are removed. Its text, to put back in the composer.
     */
    discard(clientId: string): string | null {
      const key = entryKey(ownUserId, clientId);
      const entry = entries.peek().find((candidate) => candidate.key === key);
      const isWaitingForFiles = unsent.has(clientId);
      // One on its way over the socket may be stored any moment: it cannot be taken back.
      if (!entry || entry.state === "stored" || (entry.state === "pending" && !isWaitingForFiles)) return null;
      unsent.delete(clientId);
      requests.settle(clientId);
      files.release(clientId, { cancel: true });
      entries.value = entries.peek().filter((candidate) => candidate.key !== key);
      return entry.text;
    },
  };
  return outgoing;
}
