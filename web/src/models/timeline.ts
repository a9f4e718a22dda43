/**
 * A channel's messages as the user sees them: stored messages in sequence order,
 * then the user's own messages still on their way. Pure functions, so the same
 * message arriving by history, by relay, by catch-up and by ack is one entry, and
 * of two views of one message the one with the higher `event` (the later change) wins.
 */
import type { Attachment, CallRecordContent } from "../../../e2ee/index.ts";
import type { Mentions, MessageView, ReactionView } from "../../../protocol/index.ts";
import type { Reading, RemovedBy } from "./encryption/channel-crypto.ts";

/** What a stored message says to this reader (decrypted by the channel's encryption). */
export type ReadMessage = (message: MessageView) => Reading;
/** A person's name from the list the reader's app holds (undefined: not in it). */
export type NameOf = (userId: string) => string | undefined;

export interface TimelineEntry {
  /** Sender and client id: the server keeps these unique per channel, and both are known before the ack. */
  key: string;
  clientId: string;
  /** The channel's sequence number; null until the server has stored the message. */
  seq: number | null;
  /** The channel's change counter at this view of the message; 0 until stored. */
  event: number;
  /** Checked by the envelope's signature when the message opened; the name is the people list's for it. */
  senderId: string;
  /** From the channel's people list by `senderId`; the server's name only for someone not in it. */
  senderName: string;
  isOwn: boolean;
  /** null when this client cannot read the payload (and for a deleted message). */
  text: string | null;
  /** The files the message carries, in order (absent or empty: none, or not readable here). */
  attachments?: readonly Attachment[];
  /** Why the payload cannot be read here (null when it can, or is still being opened). */
  unreadable: string | null;
  /** Sealed end to end (false only in a channel too large for it, where the header says so). */
  isEncrypted: boolean;
  /** A call in a conversation, as its caller's client recorded it (absent or null: not a call record). */
  call?: CallRecordContent | null;
  /** Not a message to show: history keys shared with newcomers. It keeps its place in the sequence. */
  isHidden: boolean;
  /** The server's time of storing it; it places the message among others. */
  sentAt: string | null;
  /** The time its sender sealed with the text, shown rather than the server's (absent: none sealed). */
  sealedAt?: string | null;
  /**
   * Where the server's account of the message differs from what its sender sealed
   * (a reply, a thread, the order, a copy), in words for the reader; absent or empty when all agrees.
   */
  warnings?: readonly string[];
  state: "pending" | "stored" | "failed";
  /** Why a failed message was not stored. */
  failure: string | null;
  /** Orders unsent messages among themselves (stored ones sort by seq). */
  localOrder: number;
  replyToSeq: number | null;
  threadRootSeq: number | null;
  mentions: Mentions;
  /** Someone else's message naming the reader, @everyone or @here. */
  isMentioningMe: boolean;
  editedAt: string | null;
  isDeleted: boolean;
  /** For a deleted message: who removed it as far as this device can tell, and that in words (absent: not known yet). */
  removal?: { by: RemovedBy; words: string } | null;
  pinnedAt: string | null;
  reactions: ReactionView[];
  /** Replies in the thread this message starts, as the server counted them when it was read. */
  threadReplyCount: number;
  /**
   * Part of the channel's continuous history as loaded (a page, a live frame, a
   * catch-up), not only fetched as a thread's reply: holes between such entries are
   * messages not loaded yet.
   */
  isInTimeline: boolean;
  /** The server's view this entry was read from (absent until stored): earlier versions are opened beside it. */
  view?: MessageView;
}

export const NO_MENTIONS: Mentions = { userIds: [], roleIds: [], everyone: false, here: false };

export const entryKey = (senderId: string, clientId: string) => `${senderId}/${clientId}`;

export function storedEntry(
  message: MessageView,
  ownUserId: string,
  isInTimeline: boolean,
  read: ReadMessage,
  nameOf: NameOf = () => undefined,
): TimelineEntry {
  const isOwn = message.senderId === ownUserId;
  const isDeleted = message.deletedAt !== null;
  const reading = read(message);
  const text = !isDeleted && reading.kind === "text" ? reading : null;
  return {
    key: entryKey(message.senderId, message.clientId),
    clientId: message.clientId,
    seq: message.seq,
    event: message.event,
    senderId: message.senderId,
    senderName: nameOf(message.senderId) ?? message.senderName,
    isOwn,
    text: text?.text ?? null,
    attachments: text?.attachments ?? [],
    unreadable: !isDeleted && reading.kind === "unreadable" ? reading.reason : null,
    isEncrypted: reading.kind !== "text" || reading.isEncrypted,
    call: !isDeleted && reading.kind === "call" ? reading.call : null,
    isHidden: !isDeleted && reading.kind === "hidden",
    sentAt: message.sentAt,
    sealedAt: text?.sealedAt ?? null,
    warnings: text?.warnings ?? [],
    state: "stored",
    failure: null,
    localOrder: 0,
    replyToSeq: message.replyToSeq,
    threadRootSeq: message.threadRootSeq,
    mentions: message.mentions,
    isMentioningMe:
      !isOwn &&
      !isDeleted &&
      (message.mentions.userIds.includes(ownUserId) || message.mentions.everyone || message.mentions.here),
    editedAt: message.editedAt,
    isDeleted,
    removal: isDeleted && reading.kind === "removed" ? { by: reading.removedBy, words: reading.words } : null,
    pinnedAt: message.pinnedAt,
    reactions: message.reactions,
    threadReplyCount: message.threadReplyCount,
    isInTimeline,
    view: message,
  };
}

/**
 * Adds or replaces entries by key. A stored entry is never replaced by an unsent
 * one, nor by an older view of itself; once in the timeline, always in it.
 */
export function upsertEntries(entries: readonly TimelineEntry[], incoming: readonly TimelineEntry[]): TimelineEntry[] {
  const byKey = new Map(entries.map((entry) => [entry.key, entry]));
  for (const entry of incoming) {
    const known = byKey.get(entry.key);
    const isInTimeline = entry.isInTimeline || (known?.isInTimeline ?? false);
    if (known?.state === "stored" && (entry.state !== "stored" || entry.event < known.event)) {
      if (isInTimeline !== known.isInTimeline) byKey.set(entry.key, { ...known, isInTimeline });
      continue;
    }
    byKey.set(entry.key, isInTimeline === entry.isInTimeline ? entry : { ...entry, isInTimeline });
  }
  return [...byKey.values()].sort(compareEntries);
}

/** Views from history pages; `isInTimeline` false for ones fetched outside the loaded history (a thread's, the pins). */
export function mergeStored(
  entries: readonly TimelineEntry[],
  messages: readonly MessageView[],
  ownUserId: string,
  isInTimeline: boolean,
  read: ReadMessage,
  nameOf?: NameOf,
): TimelineEntry[] {
  return upsertEntries(
    entries,
    messages.map((message) => storedEntry(message, ownUserId, isInTimeline, read, nameOf)),
  );
}

/**
 * Views from the socket (relays, acks, catch-up pages). Changes to messages older
 * than the loaded history are left out (scrolling up reads them fresh), unless a
 * thread or the pins hold them.
 */
export function mergeLive(
  entries: readonly TimelineEntry[],
  messages: readonly MessageView[],
  ownUserId: string,
  read: ReadMessage,
  nameOf?: NameOf,
): TimelineEntry[] {
  const loaded = timelineBounds(entries);
  const held = new Set(entries.map((entry) => entry.key));
  const incoming = messages.flatMap((message) => {
    const isOlder = loaded !== null && message.seq < loaded.oldest;
    if (isOlder && !held.has(entryKey(message.senderId, message.clientId))) return [];
    return [storedEntry(message, ownUserId, !isOlder, read, nameOf)];
  });
  return upsertEntries(entries, incoming);
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

/** The lowest and highest seq of the loaded history (null when nothing is loaded). */
export function timelineBounds(entries: readonly TimelineEntry[]): { oldest: number; newest: number } | null {
  let oldest = Infinity;
  let newest = -Infinity;
  for (const entry of entries) {
    if (entry.seq === null || !entry.isInTimeline) continue;
    oldest = Math.min(oldest, entry.seq);
    newest = Math.max(newest, entry.seq);
  }
  return newest < 0 ? null : { oldest, newest };
}

/** The highest event among stored entries: everything up to it is reflected in what was loaded with it. */
export function newestEvent(entries: readonly TimelineEntry[]): number {
  return entries.reduce((newest, entry) => Math.max(newest, entry.event), 0);
}

export const findBySeq = (entries: readonly TimelineEntry[], seq: number) =>
  entries.find((entry) => entry.seq === seq) ?? null;

/** A row of the main list: a message (thread replies stay in their thread), or messages not loaded yet. */
export type MainListRow =
  | { kind: "message"; entry: TimelineEntry; replyCount: number }
  /** Seqs after `afterSeq` up to `beforeSeq` (excluded) are not loaded. */
  | { kind: "gap"; afterSeq: number; beforeSeq: number };

export function mainListRows(entries: readonly TimelineEntry[]): MainListRow[] {
  const replyCounts = new Map<number, number>();
  for (const entry of entries) {
    if (entry.threadRootSeq !== null)
      replyCounts.set(entry.threadRootSeq, (replyCounts.get(entry.threadRootSeq) ?? 0) + 1);
  }
  const rows: MainListRow[] = [];
  let previousSeq: number | null = null;
  for (const entry of entries) {
    if (entry.seq !== null && entry.isInTimeline) {
      // Seqs have no holes on the server: a hole here is history not loaded yet.
      if (previousSeq !== null && entry.seq > previousSeq + 1)
        rows.push({ kind: "gap", afterSeq: previousSeq, beforeSeq: entry.seq });
      previousSeq = entry.seq;
    } else if (entry.seq !== null) {
      continue; // a thread reply fetched for its thread, outside the loaded history
    }
    if (entry.threadRootSeq !== null || entry.isHidden) continue;
    // The server's count covers replies not loaded here; loaded ones cover replies since it counted.
    const loaded = entry.seq === null ? 0 : (replyCounts.get(entry.seq) ?? 0);
    rows.push({ kind: "message", entry, replyCount: Math.max(loaded, entry.threadReplyCount) });
  }
  return rows;
}

/** A thread's replies, oldest first, with the user's own still on their way. */
export const threadEntries = (entries: readonly TimelineEntry[], rootSeq: number) =>
  entries.filter((entry) => entry.threadRootSeq === rootSeq && !entry.isHidden);
