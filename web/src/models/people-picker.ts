/**
 * Choosing people for a conversation: a search among those one shares a community
 * with (`GET /api/dms/candidates`, as one types), the people chosen so far as chips,
 * and how many more fit. Used to start a DM or group DM and to add people to a group.
 */
import { computed, createModel, effect, signal } from "@preact/signals";
import type { DmCandidateView } from "../../../protocol/direct-messages.ts";
import { describeError } from "./api-client.ts";
import { latestOnly } from "./latest-only.ts";
import type { Session } from "./session.ts";

/** Typing pauses this long before the search goes out. */
const SEARCH_DELAY_MS = 150;

export interface PickerOptions {
  /** People not to offer (already in the conversation). */
  exclude: readonly string[];
  /** How many may be chosen. */
  max: number;
}

export const PeoplePickerModel = createModel((session: Session, options: PickerOptions) => {
  const query = signal("");
  const results = signal<readonly DmCandidateView[]>([]);
  const chosen = signal<readonly DmCandidateView[]>([]);
  const isSearching = signal(true);
  const searchError = signal<string | null>(null);
  const nextSearch = latestOnly();
  const excluded = new Set(options.exclude);

  async function search(text: string): Promise<void> {
    const isLatest = nextSearch();
    isSearching.value = true;
    try {
      const answer = await session.request<{ people: DmCandidateView[] }>(
        `/api/dms/candidates?q=${encodeURIComponent(text)}`,
      );
      if (!isLatest()) return;
      results.value = answer.people.filter((person) => !excluded.has(person.userId));
      searchError.value = null;
    } catch (caught) {
      if (isLatest()) searchError.value = describeError(caught);
    } finally {
      if (isLatest()) isSearching.value = false;
    }
  }

  effect(() => {
    const text = query.value.trim();
    const timer = setTimeout(() => void search(text), text ? SEARCH_DELAY_MS : 0);
    return () => clearTimeout(timer);
  });

  const chosenIds = computed(() => new Set(chosen.value.map((person) => person.userId)));
  const isFull = computed(() => chosen.value.length >= options.max);

  return {
    query,
    results,
    chosen,
    chosenIds,
    isFull,
    isSearching,
    searchError,
    /** How many more may be chosen. */
    room: computed(() => Math.max(0, options.max - chosen.value.length)),
    /** Adds or removes the person from the chosen ones (adding only while there is room). */
    toggle(person: DmCandidateView): void {
      if (chosenIds.peek().has(person.userId)) {
        chosen.value = chosen.peek().filter((known) => known.userId !== person.userId);
      } else if (!isFull.peek()) {
        chosen.value = [...chosen.peek(), person];
      }
    },
    remove(userId: string): void {
      chosen.value = chosen.peek().filter((known) => known.userId !== userId);
    },
  };
});

export type PeoplePicker = InstanceType<typeof PeoplePickerModel>;
