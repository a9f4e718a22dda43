/**
 * How the index follows edits and deletions in channels that are not open: a page of
 * a channel's changes (`?sinceEvent=`, in event order) applied to the seqs already
 * read, and the slow sweep that has each indexed channel ask for its changes in turn.
 * The indexer (search-indexer.ts) fetches the pages, within its one page budget.
 */
import { HISTORY_PAGE_MAX, type MessageView } from "../../../../protocol/index.ts";
import type { MessageReader } from "./message-reader.ts";
import type { SearchIndex } from "./search-index.ts";

/** A sweep over the indexed channels starts this often at most... */
export const SWEEP_INTERVAL_MS = 5 * 60_000;
/** ...and takes one channel per twentieth of it (four a minute by default). */
const SWEEP_STEPS = 20;

/** What a page of changes left: keys missing (try once they come), more to ask for, or the channel current. */
export type ChangesOutcome = "no-keys" | "more" | "current";

/**
 * One page of a channel's changes: the seqs already read take their new words or
 * leave (deleted, now unreadable); seqs outside them are left to the history pages,
 * which will read them as they are then. The cursor's event moves to the page's last.
 */
export async function applyChanges(
  index: SearchIndex,
  reader: MessageReader,
  channelId: string,
  messages: readonly MessageView[],
): Promise<ChangesOutcome> {
  const cursor = index.catalog.cursors[channelId];
  if (!cursor) return "current";
  const changed = messages.filter(
    (message) =>
      message.seq >= cursor.oldestSeq &&
      message.seq <= cursor.newestSeq &&
      // Already indexed as it is (a new message read forward a moment ago): nothing to decrypt again.
      (message.deletedAt !== null || index.eventOf(channelId, message.seq) !== message.event),
  );
  const read = changed.length > 0 ? await reader.read(channelId, changed) : { readable: [], unreadable: [] };
  if (!read) return "no-keys";
  await index.put(read.readable);
  await index.remove(channelId, read.unreadable);
  const last = messages.at(-1);
  if (last) cursor.event = Math.max(cursor.event ?? 0, last.event);
  // A page shorter than asked is the last one.
  return messages.length < HISTORY_PAGE_MAX ? "current" : "more";
}

/**
 * Every `sweepMs` at most, each indexed channel in turn, one per step, is handed to
 * `onTurn` (which marks it for a page of changes). Stopped with `stop()`.
 */
export function startSweep(options: {
  sweepMs: number;
  index: () => Promise<SearchIndex>;
  onTurn: (channelId: string) => void;
}): { stop(): void } {
  let queue: string[] = [];
  let sweptAt = Date.now();
  async function step(): Promise<void> {
    if (queue.length === 0) {
      if (Date.now() - sweptAt < options.sweepMs) return;
      sweptAt = Date.now();
      queue = Object.keys((await options.index()).catalog.cursors);
    }
    const channelId = queue.shift();
    if (channelId !== undefined) options.onTurn(channelId);
  }
  const timer = setInterval(() => void step().catch(() => undefined), options.sweepMs / SWEEP_STEPS);
  return { stop: () => clearInterval(timer) };
}
