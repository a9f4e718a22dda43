/**
 * The device's full-text index of the messages it decrypted, in memory: segments of
 * one channel's messages each (a range of seqs), every segment a MiniSearch index of
 * its texts beside the messages themselves, loaded from the encrypted store only when
 * a search reaches its channel. Past the budget the segments with the oldest messages
 * leave. This module is loaded on demand (the first search, or indexing after idle),
 * keeping MiniSearch out of the app's first load.
 */
import MiniSearch, { type AsPlainObject } from "minisearch";
import { foldTerm, holdsPhrase, matchRanges, queryTerms, splitTerms } from "./search-text.ts";
import type { SearchHas, SearchOutcome, SearchQuery, SearchResult, SearchSort } from "./search-types.ts";
import type { SearchStore } from "./search-store.ts";

/** One message as the index keeps it: its decrypted text and what filters ask of it. */
export interface IndexedMessage {
  channelId: string;
  seq: number;
  /** The view's change counter: an older view never replaces a newer one. */
  event: number;
  sentAt: string;
  senderId: string;
  text: string;
  has: SearchHas[];
  /** User ids the message declares as mentioned. */
  mentions: string[];
  pinned: boolean;
}

import { INDEXED_MESSAGES_MAX, SEGMENT_SEQS } from "./search-limits.ts";

/** Where the indexer is in each channel: the seqs it read, newest and oldest. */
export interface ChannelCursor {
  newestSeq: number;
  oldestSeq: number;
  /**
   * The channel's change counter up to which edits and deletions of the read seqs are
   * in the index: changes after it are asked for with `sinceEvent`. Absent in cursors
   * saved before it existed (their changes are read from the start, once).
   */
  event?: number;
}

interface SegmentSummary {
  channelId: string;
  count: number;
  newestSentAt: string;
}

/** What the store keeps beside the segments: the cursors and what each segment holds. */
export interface IndexCatalog {
  cursors: Record<string, ChannelCursor>;
  segments: Record<string, SegmentSummary>;
}

interface Segment {
  channelId: string;
  docs: Map<number, IndexedMessage>;
  mini: MiniSearch<IndexedMessage>;
}

interface StoredSegment {
  docs: IndexedMessage[];
  index: AsPlainObject;
}

const miniOptions = {
  fields: ["text"],
  idField: "seq",
  tokenize: splitTerms,
  processTerm: (term: string) => foldTerm(term) || null,
  searchOptions: { prefix: true, combineWith: "AND" as const },
};

const segmentKey = (channelId: string, seq: number) => `segment:${channelId}:${Math.floor(seq / SEGMENT_SEQS)}`;
const CATALOG_KEY = "catalog";

export type SearchIndex = Awaited<ReturnType<typeof openSearchIndex>>;

export async function openSearchIndex(store: SearchStore) {
  const catalog: IndexCatalog = (await store.read<IndexCatalog>(CATALOG_KEY)) ?? { cursors: {}, segments: {} };
  const loaded = new Map<string, Segment>();
  const loading = new Map<string, Promise<Segment>>();
  const dirty = new Set<string>();
  /** Bumped by every change: the last search's matches stay valid while it holds. */
  let changes = 0;
  /** The last search's matches, sorted: the next page of the same search is a slice of them. */
  let lastSearch: { key: string; changes: number; found: Found[] } | null = null;

  function emptySegment(channelId: string): Segment {
    return { channelId, docs: new Map(), mini: new MiniSearch<IndexedMessage>(miniOptions) };
  }

  function segment(key: string, channelId: string): Promise<Segment> {
    const held = loaded.get(key);
    if (held) return Promise.resolve(held);
    let pending = loading.get(key);
    if (!pending) {
      pending = (async () => {
        const stored = catalog.segments[key] ? await store.read<StoredSegment>(key) : undefined;
        const next = stored
          ? {
              channelId,
              docs: new Map(stored.docs.map((doc) => [doc.seq, doc])),
              mini: MiniSearch.loadJS(stored.index, miniOptions),
            }
          : emptySegment(channelId);
        loaded.set(key, next);
        loading.delete(key);
        return next;
      })();
      loading.set(key, pending);
    }
    return pending;
  }

  function summarize(key: string, held: Segment): void {
    if (held.docs.size === 0) {
      delete catalog.segments[key];
      return;
    }
    let newestSentAt = "";
    for (const doc of held.docs.values()) if (doc.sentAt > newestSentAt) newestSentAt = doc.sentAt;
    catalog.segments[key] = { channelId: held.channelId, count: held.docs.size, newestSentAt };
  }

  /** The segments a query reaches: every one, or those of the channels it names. */
  const segmentsFor = (channelIds: readonly string[]) =>
    Object.entries(catalog.segments).filter(
      ([, summary]) => channelIds.length === 0 || channelIds.includes(summary.channelId),
    );

  const count = () => Object.values(catalog.segments).reduce((sum, summary) => sum + summary.count, 0);

  /** Drops whole segments, oldest messages first, until the budget holds. */
  async function evict(): Promise<void> {
    let total = count();
    const byAge = Object.entries(catalog.segments).sort(([, a], [, b]) =>
      a.newestSentAt < b.newestSentAt ? -1 : a.newestSentAt > b.newestSentAt ? 1 : 0,
    );
    for (const [key, summary] of byAge) {
      if (total <= INDEXED_MESSAGES_MAX) break;
      total -= summary.count;
      changes++;
      delete catalog.segments[key];
      loaded.delete(key);
      dirty.delete(key);
      await store.remove(key);
    }
  }

  return {
    catalog,
    count,
    /** Adds messages, or replaces older views of them (an edit's new words replace its old ones). */
    async put(messages: readonly IndexedMessage[]): Promise<void> {
      for (const message of messages) {
        const key = segmentKey(message.channelId, message.seq);
        const held = await segment(key, message.channelId);
        const known = held.docs.get(message.seq);
        if (known && known.event > message.event) continue;
        // `remove`, not `discard`: the old words leave the serialized index now, not at a later vacuum.
        if (known) held.mini.remove(known);
        held.docs.set(message.seq, message);
        held.mini.add(message);
        // Kept up as messages come (a full summary per message would cost a segment's walk each).
        const summary = catalog.segments[key];
        catalog.segments[key] = {
          channelId: message.channelId,
          count: held.docs.size,
          newestSentAt: summary && summary.newestSentAt > message.sentAt ? summary.newestSentAt : message.sentAt,
        };
        dirty.add(key);
        changes++;
      }
    },
    /** Deleted messages (or ones no longer readable) leave the index. */
    async remove(channelId: string, seqs: readonly number[]): Promise<void> {
      for (const seq of seqs) {
        const key = segmentKey(channelId, seq);
        if (!catalog.segments[key] && !loaded.has(key)) continue;
        const held = await segment(key, channelId);
        const known = held.docs.get(seq);
        if (!known) continue;
        held.docs.delete(seq);
        held.mini.remove(known);
        summarize(key, held);
        dirty.add(key);
        changes++;
      }
    },
    /** The event of the message held for this seq (undefined: not held), without loading anything new. */
    eventOf(channelId: string, seq: number): number | undefined {
      return loaded.get(segmentKey(channelId, seq))?.docs.get(seq)?.event;
    },
    /** A channel the person can no longer read: its messages and cursor leave. */
    async forgetChannel(channelId: string): Promise<void> {
      changes++;
      delete catalog.cursors[channelId];
      for (const [key] of segmentsFor([channelId])) {
        delete catalog.segments[key];
        loaded.delete(key);
        dirty.delete(key);
        await store.remove(key);
      }
    },
    /** Writes the segments changed since the last save, then the catalog. */
    async save(): Promise<void> {
      await evict();
      for (const key of [...dirty]) {
        dirty.delete(key);
        const held = loaded.get(key);
        if (!held) continue;
        if (held.docs.size === 0) await store.remove(key);
        else
          await store.write(key, { docs: [...held.docs.values()], index: held.mini.toJSON() } satisfies StoredSegment);
      }
      await store.write(CATALOG_KEY, catalog);
    },
    async search(
      query: SearchQuery,
      options: { sort: SearchSort; offset: number; limit: number },
      pinnedByServer: ReadonlySet<string> | null = null,
    ): Promise<SearchOutcome> {
      const terms = [...query.words, ...query.phrases].flatMap(queryTerms);
      const key = JSON.stringify([query, options.sort, pinnedByServer && [...pinnedByServer].sort()]);
      if (lastSearch?.key !== key || lastSearch.changes !== changes)
        lastSearch = { key, changes, found: await matching(query, options.sort, terms, pinnedByServer) };
      const { found } = lastSearch;
      const page = found.slice(options.offset, options.offset + options.limit);
      return {
        total: found.length,
        results: page.map(({ doc, score }) => resultOf(doc, score, terms)),
      };
    },
  };

  /** Every message the query matches, sorted as asked. */
  async function matching(
    query: SearchQuery,
    sort: SearchSort,
    terms: readonly string[],
    pinnedByServer: ReadonlySet<string> | null,
  ): Promise<Found[]> {
    const before = query.before === null ? null : Date.parse(query.before);
    const after = query.after === null ? null : Date.parse(query.after);
    const matches = (doc: IndexedMessage) =>
      (query.fromUserIds.length === 0 || query.fromUserIds.includes(doc.senderId)) &&
      (query.mentionsUserIds.length === 0 || query.mentionsUserIds.some((id) => doc.mentions.includes(id))) &&
      query.has.every((kind) => doc.has.includes(kind)) &&
      (before === null || Date.parse(doc.sentAt) < before) &&
      (after === null || Date.parse(doc.sentAt) >= after) &&
      (query.pinned === null ||
        (pinnedByServer ? pinnedByServer.has(`${doc.channelId}:${doc.seq}`) : doc.pinned) === query.pinned) &&
      query.phrases.every((phrase) => holdsPhrase(doc.text, phrase));
    const found: Found[] = [];
    for (const [key, summary] of segmentsFor(query.channelIds)) {
      const held = await segment(key, summary.channelId);
      if (terms.length === 0) {
        for (const doc of held.docs.values()) if (matches(doc)) found.push({ doc, score: 0 });
        continue;
      }
      for (const hit of held.mini.search({ queries: [...terms], combineWith: "AND", prefix: true })) {
        const doc = held.docs.get(hit.id as number);
        if (doc && matches(doc)) found.push({ doc, score: hit.score });
      }
    }
    // ISO instants in UTC order as plain strings (localeCompare would be several times slower).
    const newestFirst = (a: IndexedMessage, b: IndexedMessage) =>
      a.sentAt === b.sentAt ? b.seq - a.seq : a.sentAt < b.sentAt ? 1 : -1;
    found.sort((a, b) => (sort === "relevance" ? b.score - a.score : 0) || newestFirst(a.doc, b.doc));
    return found;
  }
}

interface Found {
  doc: IndexedMessage;
  score: number;
}

function resultOf(doc: IndexedMessage, score: number, terms: readonly string[]): SearchResult {
  const { channelId, seq, sentAt, senderId, text } = doc;
  return { channelId, seq, sentAt, senderId, text, matches: matchRanges(text, terms), score };
}
