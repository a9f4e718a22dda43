/**
 * Fills the search index in the background from the history pages of every channel
 * and DM the person can read (`GET /api/channels/:id/messages`), newest first, then
 * older, and forward again as activity says new messages came. Gentle on purpose:
 * one page at a time, in idle time, at most PAGES_PER_MINUTE (a tenth of the
 * server's history budget, which the open chat shares); where it got to in each
 * channel is saved with the index, so a reload goes on from there.
 *
 * Edits and deletions in channels that are not open reach the index through
 * `?sinceEvent=`: each indexed channel keeps the change counter (`event`) up to which
 * its changes are applied, and asks for the changes after it when activity comes
 * from there, and in a slow sweep of the indexed channels (a few a minute).
 */
import { HISTORY_PAGE_MAX, type MessageView, type UnreadView } from "../../../../protocol/index.ts";
import { ApiError } from "../api-client.ts";
import type { Session } from "../session.ts";
import type { MessageReader } from "./message-reader.ts";
import { applyChanges, startSweep, SWEEP_INTERVAL_MS } from "./search-changes.ts";
import type { ChannelCursor, SearchIndex } from "./search-index.ts";
import { INDEXED_MESSAGES_MAX } from "./search-limits.ts";

/** History pages the indexer asks for, per minute at most (the server allows 600). */
const PAGES_PER_MINUTE = 60;
const PAGE_INTERVAL_MS = 60_000 / PAGES_PER_MINUTE;
/** After a failed page (offline, rate limited), wait this long before the next. */
const RETRY_MS = 30_000;
/** Segments are written after this many pages, and whenever the indexer runs out of work. */
const SAVE_EVERY_PAGES = 5;

export interface IndexerState {
  /** Messages read into the index (or seen unreadable), over the channels' known totals. */
  indexed: number;
  total: number;
  running: boolean;
}

interface Work {
  channelId: string;
  query: string;
  direction: "newest" | "after" | "before" | "changes";
}

export function createIndexer(options: {
  session: Session;
  reader: MessageReader;
  index: () => Promise<SearchIndex>;
  /** The Web Lock the tab filling the index holds (one per person in this browser). */
  lockName: string;
  /** Resolves when the device can decrypt (unlocked, keys loaded). */
  whenReadable: () => Promise<void>;
  onState: (state: IndexerState) => void;
  /** How often the indexed channels are swept for edits and deletions (SWEEP_INTERVAL_MS). */
  sweepMs?: number;
}) {
  const sweepMs = options.sweepMs ?? SWEEP_INTERVAL_MS;
  /** The newest seq each readable channel has, from the unread counts and activity since. */
  const lastSeqs = new Map<string, number>();
  let isStarted = false;
  let isRunning = false;
  let wake: (() => void) | null = null;
  let pagesSinceSave = 0;
  let generation = 0;
  /** Encrypted channels this device holds no key for yet: skipped until encryption news. */
  const waiting = new Set<string>();
  /** Indexed channels to ask for their changes (activity there, or the sweep's turn). */
  const stale = new Set<string>();

  async function report(): Promise<void> {
    const index = await options.index();
    let indexed = 0;
    let total = 0;
    for (const [channelId, lastSeq] of lastSeqs) {
      total += lastSeq;
      indexed += covered(index.catalog.cursors[channelId], lastSeq);
    }
    options.onState({ indexed, total, running: isRunning });
  }

  async function refreshChannels(): Promise<void> {
    const { channels } = await options.session.request<{ channels: UnreadView[] }>("/api/unread");
    const index = await options.index();
    const readable = new Set(channels.map((view) => view.channelId));
    lastSeqs.clear();
    for (const view of channels) lastSeqs.set(view.channelId, view.lastSeq);
    // Channels the person can no longer read leave the index with their messages.
    for (const channelId of Object.keys(index.catalog.cursors))
      if (!readable.has(channelId)) await index.forgetChannel(channelId);
  }

  function nextWork(index: SearchIndex): Work | null {
    let older: Work | null = null;
    let changes: Work | null = null;
    const isFull = index.count() >= INDEXED_MESSAGES_MAX;
    for (const [channelId, lastSeq] of lastSeqs) {
      if (waiting.has(channelId)) continue;
      const cursor = index.catalog.cursors[channelId];
      const limit = `limit=${HISTORY_PAGE_MAX}`;
      if (!cursor) return { channelId, query: limit, direction: "newest" };
      // New messages first: they are what people look for.
      if (lastSeq > cursor.newestSeq)
        return { channelId, query: `after=${cursor.newestSeq}&${limit}`, direction: "after" };
      // Then changes to what was read (the old words must go), before older pages.
      if (!changes && stale.has(channelId))
        changes = { channelId, query: `sinceEvent=${cursor.event ?? 0}&${limit}`, direction: "changes" };
      // A full index reads no further back: each older page would only push out another.
      if (!older && !isFull && cursor.oldestSeq > 1)
        older = { channelId, query: `before=${cursor.oldestSeq}&${limit}`, direction: "before" };
    }
    return changes ?? older;
  }

  async function step(index: SearchIndex, work: Work): Promise<void> {
    const path = `/api/channels/${encodeURIComponent(work.channelId)}/messages?${work.query}`;
    let messages: MessageView[];
    try {
      ({ messages } = await options.session.request<{ messages: MessageView[] }>(path));
    } catch (caught) {
      if (caught instanceof ApiError && (caught.status === 403 || caught.status === 404)) {
        lastSeqs.delete(work.channelId);
        stale.delete(work.channelId);
        await index.forgetChannel(work.channelId);
        return;
      }
      throw caught;
    }
    if (work.direction === "changes") return followChanges(index, work.channelId, messages);
    const read = await options.reader.read(work.channelId, messages);
    if (!read) {
      waiting.add(work.channelId);
      return;
    }
    await index.put(read.readable);
    await index.remove(work.channelId, read.unreadable);
    const seqs = messages.map((message) => message.seq);
    const known = index.catalog.cursors[work.channelId];
    const cursor: ChannelCursor = {
      newestSeq: Math.max(known?.newestSeq ?? 0, ...seqs),
      oldestSeq: Math.min(known?.oldestSeq ?? Number.MAX_SAFE_INTEGER, ...seqs),
      // A channel's first page sets where its changes are followed from: every change
      // after it has a higher event, and pages read later hold their messages as they are then.
      event: known ? known.event : Math.max(0, ...messages.map((message) => message.event)),
    };
    // A page shorter than asked reached the start (or what the person may see of it).
    if (work.direction !== "after" && messages.length < HISTORY_PAGE_MAX) cursor.oldestSeq = 1;
    if (work.direction === "after" && messages.length === 0)
      cursor.newestSeq = Math.max(cursor.newestSeq, lastSeqs.get(work.channelId) ?? 0);
    if (cursor.oldestSeq === Number.MAX_SAFE_INTEGER) cursor.oldestSeq = 1;
    index.catalog.cursors[work.channelId] = cursor;
    lastSeqs.set(work.channelId, Math.max(lastSeqs.get(work.channelId) ?? 0, cursor.newestSeq));
    if (++pagesSinceSave >= SAVE_EVERY_PAGES) await save(index);
  }

  async function followChanges(index: SearchIndex, channelId: string, messages: MessageView[]): Promise<void> {
    const outcome = await applyChanges(index, options.reader, channelId, messages);
    if (outcome === "no-keys") return void waiting.add(channelId);
    if (outcome === "current") stale.delete(channelId);
    if (++pagesSinceSave >= SAVE_EVERY_PAGES) await save(index);
  }

  async function save(index: SearchIndex): Promise<void> {
    pagesSinceSave = 0;
    await index.save();
  }

  async function run(mine: number): Promise<void> {
    const stillMine = () => isStarted && generation === mine;
    for (let isReady = false; !isReady && stillMine();) {
      try {
        await options.whenReadable();
        await refreshChannels();
        isReady = true;
      } catch {
        await pause(RETRY_MS);
      }
    }
    // Only the tab holding the lock sweeps: the others' index stays unopened.
    const sweep = startSweep({
      sweepMs,
      index: options.index,
      onTurn: (channelId) => {
        stale.add(channelId);
        wake?.();
        wake = null;
      },
    });
    try {
      await fill(stillMine);
    } finally {
      sweep.stop();
    }
  }

  async function fill(stillMine: () => boolean): Promise<void> {
    while (stillMine()) {
      const index = await options.index();
      const work = nextWork(index);
      if (!work) {
        if (pagesSinceSave > 0) await save(index);
        isRunning = false;
        await report();
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      // Asking for changes is upkeep, not indexing: the progress shown stays still.
      if (work.direction !== "changes") isRunning = true;
      await whenIdle();
      if (!stillMine()) break;
      try {
        await step(index, work);
        await report();
        await pause(PAGE_INTERVAL_MS);
      } catch {
        await pause(RETRY_MS);
      }
    }
  }

  return {
    start(): void {
      if (isStarted) return;
      isStarted = true;
      const mine = ++generation;
      // One tab of the browser fills the index at a time; another takes over when it closes.
      if (navigator.locks) void navigator.locks.request(options.lockName, () => run(mine)).catch(() => undefined);
      else void run(mine).catch(() => undefined);
    },
    /** Stops after the page under way; what was read so far stays (the engine clears it when asked). */
    stop(): void {
      isStarted = false;
      isRunning = false;
      generation++;
      stale.clear();
      wake?.();
      wake = null;
    },
    /** New messages in a channel (account activity): read forward to them, and ask for the changes there. */
    noteActivity(channelId: string, lastSeq: number): void {
      if (lastSeq > (lastSeqs.get(channelId) ?? 0)) lastSeqs.set(channelId, lastSeq);
      stale.add(channelId);
      wake?.();
      wake = null;
    },
    /** Lists changed (a channel joined or left, a reconnect): read the readable channels again. */
    async noteListsChanged(): Promise<void> {
      if (!isStarted) return;
      await refreshChannels().catch(() => undefined);
      wake?.();
      wake = null;
    },
    /** Keys may have arrived (a Welcome taken, a backup restored): channels that waited are tried again. */
    noteKeysChanged(): void {
      if (waiting.size === 0) return;
      waiting.clear();
      wake?.();
      wake = null;
    },
    /** Whether every readable channel is read to its start and its newest message. */
    isComplete(channelIds: readonly string[], index: SearchIndex): boolean {
      if (lastSeqs.size === 0) return false;
      const scope = channelIds.length > 0 ? channelIds : [...lastSeqs.keys()];
      return scope.every((channelId) => {
        const cursor = index.catalog.cursors[channelId];
        const lastSeq = lastSeqs.get(channelId);
        return lastSeq === undefined || (!!cursor && cursor.oldestSeq <= 1 && cursor.newestSeq >= lastSeq);
      });
    },
    report,
  };
}

/** How many of a channel's seqs the cursor has read. */
function covered(cursor: ChannelCursor | undefined, lastSeq: number): number {
  if (!cursor) return 0;
  return Math.max(0, Math.min(cursor.newestSeq, lastSeq) - cursor.oldestSeq + 1);
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The browser's idle time when it offers it (the page stays smooth while indexing). */
const whenIdle = () =>
  new Promise<void>((resolve) =>
    "requestIdleCallback" in globalThis ? requestIdleCallback(() => resolve(), { timeout: 2_000 }) : resolve(),
  );
