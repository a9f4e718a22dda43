/**
 * A channel's messages as the user sees them: stored messages in sequence order,
 * then the user's own messages still on their way. Pure functions, so the same
 * message arriving by history, by relay and by ack is one entry, not three.
 */
import type { MessageView } from "../../../protocol/index.ts";
import { decodeContent } from "./content.ts";

export interface TimelineEntry {
  /** Sender and client id: the server keeps these unique per channel, and both are known before the ack. */
  key: string;
  clientId: string;
  /** The channel's sequence number; null until the server has stored the message. */
  seq: number | null;
  senderName: string;
  isOwn: boolean;
  /** null when this client cannot read the payload. */
  text: string | null;
  sentAt: string | null;
  state: "pending" | "stored" | "failed";
  /** Why a failed message was not stored. */
  failure: string | null;
  /** Orders unsent messages among themselves (stored ones sort by seq). */
  localOrder: number;
}

export const entryKey = (senderId: string, clientId: string) => `${senderId}/${clientId}`;

export function storedEntry(message: MessageView, ownUserId: string): TimelineEntry {
  return {
    key: entryKey(message.senderId, message.clientId),
    clientId: message.clientId,
    seq: message.seq,
    senderName: message.senderName,
    isOwn: message.senderId === ownUserId,
    text: decodeContent(message.payload)?.text ?? null,
    sentAt: message.sentAt,
    state: "stored",
    failure: null,
    localOrder: 0,
  };
}

/** Adds or replaces entries by key; a stored entry is never replaced by an unsent one. */
export function upsertEntries(entries: readonly TimelineEntry[], incoming: readonly TimelineEntry[]): TimelineEntry[] {
  const byKey = new Map(entries.map((entry) => [entry.key, entry]));
  for (const entry of incoming) {
    const known = byKey.get(entry.key);
    if (known?.state === "stored" && entry.state !== "stored") continue;
    byKey.set(entry.key, entry);
  }
  return [...byKey.values()].sort(compareEntries);
}

/** Changes one entry in place of the old, keeping the order. */
export function updateEntry(
  entries: readonly TimelineEntry[],
  key: string,
  change: (entry: TimelineEntry) => TimelineEntry,
): TimelineEntry[] {
  return entries.map((entry) => (entry.key === key ? change(entry) : entry));
}

function compareEntries(a: TimelineEntry, b: TimelineEntry): number {
  if (a.seq !== null && b.seq !== null) return a.seq - b.seq;
  if (a.seq !== null) return -1;
  if (b.seq !== null) return 1;
  return a.localOrder - b.localOrder;
}

/** The lowest stored sequence number, where the next older page starts. */
export function oldestSeq(entries: readonly TimelineEntry[]): number | null {
  return entries.find((entry) => entry.seq !== null)?.seq ?? null;
}
