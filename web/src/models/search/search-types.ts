/**
 * The shapes search's two halves agree on: the query a person typed, parsed
 * (search-parser.ts, the UI's side), and what the device's index answers
 * (search-engine.ts, the index's side). Words never leave the device.
 */

/** What `has:` can ask for. `file` the server can answer; the rest only the device can. */
export type SearchHas = "link" | "file" | "image" | "video" | "audio";

export interface SearchQuery {
  /** Plain words, as typed (the engine normalises case and diacritics). */
  words: string[];
  /** "Quoted phrases": every word, in this order. */
  phrases: string[];
  /** `from:` resolved to user ids. */
  fromUserIds: string[];
  /** `in:` resolved to channel or DM ids; empty means every place the person can read. */
  channelIds: string[];
  has: SearchHas[];
  /** `mentions:` resolved to user ids. */
  mentionsUserIds: string[];
  /** ISO instants: `before:` is exclusive, `after:` inclusive; `during:` sets both. */
  before: string | null;
  after: string | null;
  pinned: boolean | null;
  /** Filters or names the parser did not understand, shown to the person as such. */
  unknown: string[];
}

export type SearchSort = "newest" | "relevance";

export interface SearchResult {
  channelId: string;
  seq: number;
  sentAt: string;
  senderId: string;
  /** The message's decrypted text, as indexed. */
  text: string;
  /** [start, end) character ranges of `text` that matched, for highlighting. */
  matches: [number, number][];
  score: number;
}

export interface SearchOutcome {
  results: SearchResult[];
  /** How many matched in all (results is one page of them). */
  total: number;
}

/** The background indexer's visible state: "indexing 12,400 of 80,000 messages". */
export interface IndexingProgress {
  indexed: number;
  /** Messages known to exist in the places being indexed (an estimate while paging). */
  total: number;
  running: boolean;
  /** Local indexing turned off in settings. */
  enabled: boolean;
}

/** What the UI calls; web/src/models/search/search-engine.ts implements it. */
export interface SearchEngine {
  search(query: SearchQuery, options: { sort: SearchSort; offset: number; limit: number }): Promise<SearchOutcome>;
  /** A readonly signal's value, read through `.value`. */
  readonly progress: { readonly value: IndexingProgress };
  setEnabled(enabled: boolean): Promise<void>;
  /** Forget the whole index on this device (Settings > Encryption). */
  clear(): Promise<void>;
}
