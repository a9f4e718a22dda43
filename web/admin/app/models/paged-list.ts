/**
 * A list the server pages by cursor (users, communities): what is searched for,
 * the page in view, and the way forward and back. The server says where the next
 * page starts; the way back is the starts of the pages already seen.
 */
import { batch, computed, signal } from "@preact/signals";
import { createAction } from "../../../src/models/action.ts";

export interface Page<T> {
  items: T[];
  next: string | null;
}

export type PagedList<T> = ReturnType<typeof createPagedList<T>>;

export function createPagedList<T>(fetchPage: (search: string, after: string | null) => Promise<Page<T>>) {
  const items = signal<T[]>([]);
  const search = signal("");
  /** Where each page seen so far starts (null: the beginning); the last one is in view. */
  const starts = signal<(string | null)[]>([null]);
  const next = signal<string | null>(null);
  const hasLoaded = signal(false);
  const loading = createAction();

  async function show(pageStarts: (string | null)[], searchText = search.peek()): Promise<void> {
    const page = await loading.run(() => fetchPage(searchText, pageStarts.at(-1) ?? null));
    if (!page) return;
    batch(() => {
      items.value = page.items;
      next.value = page.next;
      starts.value = pageStarts;
      search.value = searchText;
      hasLoaded.value = true;
    });
  }

  return {
    items,
    /** The search the page in view answers. */
    search,
    hasLoaded,
    loading,
    pageNumber: computed(() => starts.value.length),
    hasNext: computed(() => next.value !== null),
    hasPrevious: computed(() => starts.value.length > 1),
    reload: () => show(starts.peek()),
    searchFor: (text: string) => show([null], text.trim()),
    nextPage: async () => {
      const cursor = next.peek();
      if (cursor !== null) await show([...starts.peek(), cursor]);
    },
    previousPage: async () => {
      if (starts.peek().length > 1) await show(starts.peek().slice(0, -1));
    },
  };
}
