/**
 * Search over the messages this device can read, implementing `SearchEngine` for the
 * UI. Words are matched only here, in the device's encrypted index (search-index.ts),
 * which the background indexer fills from history and the open chat keeps current.
 * While the index is incomplete, the filters the server can answer without content
 * (sender, channel, dates, pins, files, mentions) fetch their candidates through
 * `GET /api/search/messages`: those are decrypted and indexed here, and the words
 * are matched against them like the rest. The words never leave the device.
 */
import { createModel, effect, signal } from "@preact/signals";
import type { AccountEvents } from "../account-events.ts";
import type { Encryption } from "../encryption/encryption.ts";
import type { Session } from "../session.ts";
import type { TimelineEntry } from "../timeline.ts";
import { createMessageReader, indexedMessage } from "./message-reader.ts";
import type { SearchIndex } from "./search-index.ts";
import { createIndexer } from "./search-indexer.ts";
import { narrowByServer, narrowingKey } from "./server-narrowing.ts";
import { openSearchStore, type SearchStore } from "./search-store.ts";
import { listenToTimelines } from "./timeline-feed.ts";
import type { IndexingProgress, SearchEngine, SearchOutcome, SearchQuery, SearchSort } from "./search-types.ts";

/** Indexing starts this long after the app opens (in idle time), so it never slows the first screen. */
const START_DELAY_MS = 3_000;
/** Changes from the open chat are written to the store once they settle this long. */
const LIVE_SAVE_DELAY_MS = 2_000;
/** The server's candidates for one query serve its next pages for this long. */
const NARROWED_FOR_MS = 30_000;
const NOTHING: SearchOutcome = { results: [], total: 0 };
const enabledKey = (userId: string) => `chatalot-search-enabled:${userId}`;
/**
 * How often the indexed channels are swept for edits and deletions, in ms, when this
 * browser sets it (tests do; 5 minutes otherwise); read when the engine starts.
 */
const SWEEP_MS_KEY = "chatalot-search-sweep-ms";
const SWEEP_MS_MIN = 1_000;

export const SearchEngineModel = createModel((session: Session, events: AccountEvents, encryption: Encryption) => {
  const userId = session.user.peek()?.id ?? "";
  const isEnabled = () => localStorage.getItem(enabledKey(userId)) !== "off";
  const progress = signal<IndexingProgress>({ indexed: 0, total: 0, running: false, enabled: isEnabled() });
  const reader = createMessageReader(encryption);
  let store: SearchStore = openSearchStore(userId);
  let opened: Promise<SearchIndex> | null = null;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let lastNarrowing: { key: string; at: number; pinned: Set<string> | null } | null = null;

  /** The index, loading MiniSearch and the catalog on first use (never in the app's first load). */
  const index = (): Promise<SearchIndex> =>
    (opened ??= import("./search-index.ts")
      .then(({ openSearchIndex }) => openSearchIndex(store))
      .then((held) => {
        queueMicrotask(followWaiting);
        return held;
      }));
  /**
   * The open chats' latest entries, by channel, until the index is open: a chat opening
   * does not load the index early (it opens after idle, or with the first search).
   */
  const waitingTimelines = new Map<string, readonly TimelineEntry[]>();
  function followWaiting(): void {
    for (const [channelId, entries] of waitingTimelines) {
      waitingTimelines.delete(channelId);
      void follow(channelId, entries).catch(() => undefined);
    }
  }

  const indexer = createIndexer({
    session,
    reader,
    index,
    lockName: `chatalot-search-indexer-${userId}`,
    whenReadable: () =>
      new Promise<void>((resolve) => {
        const stop = effect(() => {
          if (encryption.state.value.kind !== "ready") return;
          queueMicrotask(() => stop());
          resolve();
        });
      }),
    onState: (state) => (progress.value = { ...state, enabled: isEnabled() }),
    sweepMs: sweepSetting(),
  });

  /** The open chat's entries: new and edited messages go in, deleted ones leave. */
  async function follow(channelId: string, entries: readonly TimelineEntry[]): Promise<void> {
    const held = await index();
    const readable = [];
    const gone = [];
    for (const entry of entries) {
      if (entry.seq === null || !entry.view) continue;
      if (entry.isDeleted || entry.isHidden) gone.push(entry.seq);
      else if (entry.text !== null && (held.eventOf(channelId, entry.seq) ?? -1) < entry.event)
        readable.push(indexedMessage(entry.view, entry.text, entry.attachments));
    }
    if (readable.length === 0 && gone.length === 0) return;
    await held.put(readable);
    await held.remove(channelId, gone);
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void held.save(), LIVE_SAVE_DELAY_MS);
  }

  async function search(
    query: SearchQuery,
    options: { sort: SearchSort; offset: number; limit: number },
  ): Promise<SearchOutcome> {
    if (!isEnabled()) return NOTHING;
    const held = await index();
    indexer.start();
    return held.search(query, options, await narrowed(query, held));
  }

  /**
   * The server's candidates for the query's filters, asked once per set of filters: the next
   * pages of the same search, and new words with the same filters (within NARROWED_FOR_MS),
   * reuse them instead of asking again.
   */
  async function narrowed(query: SearchQuery, held: SearchIndex): Promise<Set<string> | null> {
    const isIncomplete = !indexer.isComplete(query.channelIds, held);
    // A locked device cannot open what the server sends: the index answers alone (and nothing waits for keys).
    const canOpen = encryption.state.peek().kind === "ready";
    if (!canOpen || (!isIncomplete && query.pinned === null)) return null;
    const key = narrowingKey(query);
    if (lastNarrowing?.key === key && Date.now() - lastNarrowing.at < NARROWED_FOR_MS) return lastNarrowing.pinned;
    // The server's answer only adds candidates: without it, the index answers alone.
    const pinned = await narrowByServer(session, reader, query, held).catch(() => null);
    lastNarrowing = { key, at: Date.now(), pinned };
    return pinned;
  }

  async function forget(): Promise<void> {
    indexer.stop();
    clearTimeout(saveTimer);
    // Writes still under way go to the old store, which is cleared after them.
    const old = store;
    store = openSearchStore(userId);
    opened = null;
    waitingTimelines.clear();
    lastNarrowing = null;
    old.close();
    await old.clear();
  }

  effect(() =>
    events.listen((news) => {
      if (news.type === "activity") indexer.noteActivity(news.channelId, news.lastSeq);
      else if (news.type === "reconnected" || (news.type === "changed" && LIST_SCOPES.has(news.scope)))
        void indexer.noteListsChanged();
    }),
  );
  effect(() =>
    listenToTimelines((channelId, entries) => {
      if (!isEnabled()) return;
      waitingTimelines.set(channelId, entries);
      if (opened) followWaiting();
    }),
  );
  effect(() => {
    void encryption.changes.value;
    void encryption.state.value;
    indexer.noteKeysChanged();
  });
  const startTimer = setTimeout(() => {
    if (isEnabled()) indexer.start();
  }, START_DELAY_MS);
  effect(() => () => {
    clearTimeout(startTimer);
    clearTimeout(saveTimer);
    indexer.stop();
  });

  return {
    search,
    progress,
    async setEnabled(enabled: boolean): Promise<void> {
      if (enabled) localStorage.removeItem(enabledKey(userId));
      else localStorage.setItem(enabledKey(userId), "off");
      progress.value = { ...progress.peek(), enabled, running: enabled && progress.peek().running };
      if (!enabled) {
        await forget();
        progress.value = { indexed: 0, total: 0, running: false, enabled };
      } else indexer.start();
    },
    async clear(): Promise<void> {
      await forget();
      progress.value = { indexed: 0, total: 0, running: false, enabled: isEnabled() };
      if (isEnabled()) indexer.start();
    },
  } satisfies SearchEngine;
});

export type SearchEngineInstance = InstanceType<typeof SearchEngineModel>;

function sweepSetting(): number | undefined {
  const set = Number(localStorage.getItem(SWEEP_MS_KEY));
  return Number.isFinite(set) && set > 0 ? Math.max(SWEEP_MS_MIN, set) : undefined;
}

/** Account news after which the readable channels may differ. */
const LIST_SCOPES = new Set(["communities", "dms", "channels", "members"]);
