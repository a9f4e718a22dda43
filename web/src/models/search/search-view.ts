/**
 * The search box and its results panel, as a model: the text and the popover's
 * suggestions, the query as last run, one page of results from the device's index
 * grouped by channel, newest or most relevant first, the result the keyboard is on,
 * and opening a result (its channel, then the message, highlighted). The words are
 * only ever handed to the engine, which matches them on this device.
 */
import { computed, createModel, signal, type ReadonlySignal } from "@preact/signals";
import { describeError } from "../api-client.ts";
import { placePath } from "../keyboard-navigation.ts";
import { latestOnly } from "../latest-only.ts";
import { notificationJumps } from "../notifications/notification-jumps.ts";
import type { Router } from "../router.ts";
import {
  isEmptyQuery,
  parseSearch,
  type ParsedSearch,
  type SearchDirectory,
  type SearchPlace,
} from "./search-parser.ts";
import { applySuggestion, suggestionsAt, type SearchSuggestion } from "./search-suggestions.ts";
import type { SearchEngine, SearchOutcome, SearchResult, SearchSort } from "./search-types.ts";

/** One page of results, as Discord pages them. */
export const SEARCH_PAGE_SIZE = 25;

export interface SearchViewSources {
  engine: SearchEngine;
  router: Router;
  /** The people and places names resolve to, kept current by the app's lists. */
  directory: ReadonlySignal<SearchDirectory>;
  /** Reads the lists not read lately (every community's channels and members), when the box is focused. */
  refreshDirectory(): Promise<void>;
}

export interface ResultGroup {
  place: SearchPlace | null;
  channelId: string;
  results: SearchResult[];
}

export const SearchViewModel = createModel((sources: SearchViewSources) => {
  const { engine, router, directory } = sources;
  const text = signal("");
  const caret = signal(0);
  /** The box has focus: the popover may show. */
  const isTyping = signal(false);
  /** The suggestion ↑/↓ is on; -1 none (for filters) while values start on the first. */
  const activeSuggestion = signal(-1);
  const isOpen = signal(false);
  const sort = signal<SearchSort>("newest");
  const page = signal(0);
  const ran = signal<ParsedSearch | null>(null);
  const outcome = signal<SearchOutcome | null>(null);
  const isSearching = signal(false);
  const problem = signal<string | null>(null);
  const selected = signal(-1);
  const nextSearch = latestOnly();

  const suggestions = computed(() => (isTyping.value ? suggestionsAt(text.value, caret.value, directory.value) : null));

  const placeOf = (channelId: string) => directory.value.places.find((place) => place.channelId === channelId) ?? null;

  /** Grouped by channel, the groups in the order of their first result (the newest, or the best). */
  const groups = computed((): ResultGroup[] => {
    const byChannel = new Map<string, ResultGroup>();
    for (const result of outcome.value?.results ?? []) {
      let group = byChannel.get(result.channelId);
      if (!group) byChannel.set(result.channelId, (group = { channelId: result.channelId, place: null, results: [] }));
      group.results.push(result);
    }
    return [...byChannel.values()].map((group) => ({ ...group, place: placeOf(group.channelId) }));
  });
  /** The results in the order shown, which ↑/↓ walk. */
  const shown = computed(() => groups.value.flatMap((group) => group.results));

  function edit(value: string, at: number): void {
    text.value = value;
    caret.value = at;
    const next = suggestionsAt(value, at, directory.peek());
    activeSuggestion.value = next?.isFirstChosen ? 0 : -1;
  }

  async function run(): Promise<void> {
    const parsed = ran.peek();
    if (!parsed) return;
    const isLatest = nextSearch();
    selected.value = -1;
    problem.value = null;
    if (parsed.matchesNothing || isEmptyQuery(parsed.query)) {
      outcome.value = { results: [], total: 0 };
      return;
    }
    isSearching.value = true;
    try {
      const found = await engine.search(parsed.query, {
        sort: sort.peek(),
        offset: page.peek() * SEARCH_PAGE_SIZE,
        limit: SEARCH_PAGE_SIZE,
      });
      if (isLatest()) outcome.value = found;
    } catch (caught) {
      if (isLatest()) problem.value = `search failed: ${describeError(caught)}`;
    } finally {
      if (isLatest()) isSearching.value = false;
    }
  }

  return {
    text,
    caret,
    isTyping,
    activeSuggestion,
    suggestions,
    isOpen,
    sort,
    page,
    ran,
    outcome,
    isSearching,
    problem,
    selected,
    groups,
    shown,
    progress: computed(() => engine.progress.value),
    pageCount: computed(() => Math.max(1, Math.ceil((outcome.value?.total ?? 0) / SEARCH_PAGE_SIZE))),
    placeOf,
    edit,
    focus(): void {
      isTyping.value = true;
      void sources.refreshDirectory();
    },
    blur(): void {
      isTyping.value = false;
    },
    /** Moves through the popover; false when there is none (the key is the results' then). */
    moveSuggestion(step: 1 | -1): boolean {
      const count = suggestions.peek()?.items.length ?? 0;
      if (count === 0) return false;
      const at = activeSuggestion.peek();
      activeSuggestion.value = at < 0 ? (step > 0 ? 0 : count - 1) : (at + step + count) % count;
      return true;
    },
    /** Writes a suggestion into the text; returns where the caret goes. */
    choose(item: SearchSuggestion): number {
      const open = suggestions.peek();
      if (!open) return caret.peek();
      const next = applySuggestion(text.peek(), open, item);
      edit(next.text, next.caret);
      return next.caret;
    },
    /** Enter in the box: the chosen suggestion if ↑/↓ picked one, else the search. */
    chosenSuggestion(): SearchSuggestion | null {
      const open = suggestions.peek();
      const index = activeSuggestion.peek();
      return open && index >= 0 ? (open.items[index] ?? null) : null;
    },
    async search(): Promise<void> {
      ran.value = parseSearch(text.peek(), directory.peek());
      page.value = 0;
      isOpen.value = true;
      isTyping.value = false;
      await run();
    },
    async setSort(next: SearchSort): Promise<void> {
      if (sort.peek() === next) return;
      sort.value = next;
      page.value = 0;
      await run();
    },
    async goToPage(next: number): Promise<void> {
      page.value = Math.max(0, next);
      await run();
    },
    moveSelection(step: 1 | -1): void {
      const count = shown.peek().length;
      if (count === 0) return;
      const at = selected.peek();
      selected.value = at < 0 ? (step > 0 ? 0 : count - 1) : Math.min(count - 1, Math.max(0, at + step));
    },
    /** Opens the result's channel at the message, which it highlights (the same path as a notification's jump). */
    async open(result: SearchResult): Promise<void> {
      // A community's channel not listed yet would be taken for a conversation: list them first.
      if (!placeOf(result.channelId)) await sources.refreshDirectory();
      const place = placeOf(result.channelId);
      selected.value = shown.peek().indexOf(result);
      notificationJumps.pending.value = { channelId: result.channelId, seq: result.seq };
      router.navigate(placePath({ channelId: result.channelId, communityId: place?.communityId ?? null }));
    },
    close(): void {
      isOpen.value = false;
      selected.value = -1;
    },
    clear(): void {
      text.value = "";
      caret.value = 0;
      ran.value = null;
      outcome.value = null;
      isOpen.value = false;
    },
  };
});

export type SearchView = InstanceType<typeof SearchViewModel>;
