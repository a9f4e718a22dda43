/**
 * The device index's budgets, apart from the index itself so the indexer (in the
 * first load) can read them without loading MiniSearch. Sized for a phone: 100,000
 * messages take about 10 MB at rest and a few tens of MB of memory once every
 * segment is loaded (bench/search-index.ts).
 */

/** Past this many messages, the segments with the oldest messages leave, and history is read no further back. */
export const INDEXED_MESSAGES_MAX = 100_000;
/** Messages of one channel per segment, by seq: what is loaded, decrypted and written at once. */
export const SEGMENT_SEQS = 1_000;
