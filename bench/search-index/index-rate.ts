/**
 * The device's search index in the page, at a given size: how fast messages go in
 * (MiniSearch plus the encrypted IndexedDB writes), how long a query takes, warm and
 * from cold (every segment loaded and opened from disk first), and the bytes at rest
 * per message. The messages are made up: words drawn from a vocabulary with a
 * Zipf-like spread, 6 to 30 words each, as chat reads.
 */
import { openSearchIndex, type IndexedMessage, type SearchIndex } from "../../web/src/models/search/search-index.ts";
import { openSearchStore } from "../../web/src/models/search/search-store.ts";
import type { SearchQuery } from "../../web/src/models/search/search-types.ts";

export interface IndexFigures {
  messages: number;
  indexedPerSecond: number;
  bytesAtRestPerMessage: number;
  queryMs: { p50: number; p99: number };
  /** p50 by kind of query: one common-to-rare word, two words, a word's first three letters. */
  kindP50Ms: { oneWord: number; twoWords: number; prefix: number };
  coldFirstQueryMs: number;
  /** The page's JavaScript heap with every segment loaded, less before the run (after a full GC each time). */
  heapMegabytes: number;
  /** The three slowest queries, with how many messages each matched. */
  slowest: { text: string; ms: number; matched: number }[];
}

/** Chromium's heap size, after a full collection when the page may ask for one (`--expose-gc`). */
function heapBytes(): number {
  (globalThis as unknown as { gc?: () => void }).gc?.();
  return (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
}

const CHANNELS = 20;
const VOCABULARY = 5_000;
const BATCH = 100;
const SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "pa", "do", "fe", "gu", "ha", "ji", "bo"];

/** A small deterministic generator: the same run makes the same messages. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

export async function measureIndex(count: number, queries: number): Promise<IndexFigures> {
  const heapBefore = heapBytes();
  const next = random(count);
  const words = Array.from({ length: VOCABULARY }, (_, index) => {
    let word = "";
    for (let n = index + 1; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
    return word;
  });
  /** Zipf-like: the first words are by far the most common, as in speech. */
  const word = () => words[Math.floor(VOCABULARY ** next()) - 1]!;
  // As history pages arrive: 100 consecutive messages of one channel at a time, channels in turn.
  const messages: IndexedMessage[] = Array.from({ length: count }, (_, index) => {
    const page = Math.floor(index / BATCH);
    return {
      channelId: `00000000-0000-4000-8000-${String(page % CHANNELS).padStart(12, "0")}`,
      seq: Math.floor(page / CHANNELS) * BATCH + (index % BATCH) + 1,
      event: index + 1,
      sentAt: new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString(),
      senderId: `00000000-0000-4000-8000-${String(index % 7).padStart(12, "0")}`,
      text: Array.from({ length: 6 + Math.floor(next() * 25) }, word).join(" "),
      has: [],
      mentions: [],
      pinned: false,
    };
  });
  const store = openSearchStore(`bench-${count}`);
  await store.clear();
  let index: SearchIndex | null = await openSearchIndex(store);
  const started = performance.now();
  for (let offset = 0; offset < count; offset += BATCH) {
    await index!.put(messages.slice(offset, offset + BATCH));
    // As the indexer does: written every few pages.
    if ((offset / BATCH) % 5 === 4) await index!.save();
  }
  await index.save();
  index = null; // the heap below is the cold index's alone
  const indexedPerSecond = Math.round(count / ((performance.now() - started) / 1000));
  const bytesAtRestPerMessage = Math.round((await store.bytesAtRest()) / count);

  const query = (text: string): SearchQuery => ({
    words: text.split(" "),
    phrases: [],
    fromUserIds: [],
    channelIds: [],
    has: [],
    mentionsUserIds: [],
    before: null,
    after: null,
    pinned: null,
    unknown: [],
  });
  // One word, two words, and a word's first letters (prefix matching), in turn.
  const typed = Array.from({ length: queries }, (_, n) =>
    n % 3 === 0 ? word() : n % 3 === 1 ? `${word()} ${word()}` : word().slice(0, 3),
  );
  const options = { sort: "newest" as const, offset: 0, limit: 25 };
  messages.length = 0;
  await new Promise((resolve) => setTimeout(resolve, 0));
  const cold = await openSearchIndex(store);
  const coldStarted = performance.now();
  await cold.search(query(typed[0]!), options);
  const coldFirstQueryMs = Math.round(performance.now() - coldStarted);
  const times: number[] = [];
  const byKind: number[][] = [[], [], []];
  const slow: { text: string; ms: number; matched: number }[] = [];
  for (const [n, text] of typed.entries()) {
    const begun = performance.now();
    const { total } = await cold.search(query(text), options);
    const ms = performance.now() - begun;
    times.push(ms);
    byKind[n % 3]!.push(ms);
    slow.push({ text, ms: Math.round(ms), matched: total });
  }
  slow.sort((a, b) => b.ms - a.ms);
  const percentile = (values: number[], share: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]! * 10) / 10;
  };
  const at = (share: number) => percentile(times, share);
  const heapMegabytes = Math.round((heapBytes() - heapBefore) / 2 ** 20);
  // Held until here, so the reading above counts it.
  if (cold.count() !== count) throw new Error(`the index holds ${cold.count()} of ${count} messages`);
  await store.clear();
  return {
    slowest: slow.slice(0, 3),
    heapMegabytes,
    messages: count,
    indexedPerSecond,
    bytesAtRestPerMessage,
    queryMs: { p50: at(0.5), p99: at(0.99) },
    kindP50Ms: {
      oneWord: percentile(byKind[0]!, 0.5),
      twoWords: percentile(byKind[1]!, 0.5),
      prefix: percentile(byKind[2]!, 0.5),
    },
    coldFirstQueryMs,
  };
}
