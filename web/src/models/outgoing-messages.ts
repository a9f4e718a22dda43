/**
 * The user's own messages on their way: each shows at once as a pending entry
 * (with its reply, thread and mentions), goes out as a `send` request, becomes the
 * stored message when the ack arrives, or is marked failed with the server's
 * reason, to be sent again only when the user asks.
 */
import type { Signal } from "@preact/signals";
import { describeError } from "./api-client.ts";
import type { MessageContent } from "../../../e2ee/index.ts";
import { textContent } from "./content.ts";
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

  return {
    /** Shows the message as pending and sends it; false (with `problem` set) when it cannot go. */
    submit(text: string, placement: Placement): boolean {
      const trimmed = text.trim();
      if (!trimmed) return false;
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
    /** Sends a failed message again, under its old client id. */
    retry(clientId: string): void {
      entries.value = updateEntry(entries.value, entryKey(ownUserId, clientId), (entry) => ({
        ...entry,
        state: "pending",
        failure: null,
      }));
      requests.retry(clientId);
    },
  };
}
