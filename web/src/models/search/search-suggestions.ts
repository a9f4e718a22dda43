/**
 * The search box's popover, as Discord's: with the caret in an empty or partial
 * word it offers the filters; after `from:` or `mentions:` people, after `in:`
 * channels and conversations, after `has:`, `pinned:` and the date filters their
 * values. Choosing one writes the filter into the text in place of what was typed.
 */
import {
  HAS_VALUES,
  SEARCH_FILTERS,
  tokenize,
  type SearchDirectory,
  type SearchFilter,
  type SearchToken,
} from "./search-parser.ts";

export interface SearchSuggestion {
  /** Unique within the list. */
  key: string;
  label: string;
  detail: string;
  /** What replaces the typed piece (a filter's value ends with a space, ready for the next). */
  insert: string;
}

export interface Suggestions {
  /** Filters offered for a bare word: Enter still searches unless one is chosen with ↑/↓. */
  kind: "filters" | "values";
  /**
   * Whether the first is chosen before ↑/↓ (Enter takes it): only while what was typed
   * is the start of it, so Enter after a whole value ("before:2026-12-07") searches.
   */
  isFirstChosen: boolean;
  /** The characters of the text a choice replaces. */
  start: number;
  end: number;
  items: SearchSuggestion[];
}

/** A popover longer than this is a list to scroll, not a suggestion. */
const SUGGESTIONS_MAX = 8;

const FILTER_HINTS: Readonly<Record<SearchFilter, string>> = {
  from: "a person",
  in: "a channel or conversation",
  has: "link, file, image, video or audio",
  mentions: "a person",
  before: "a date",
  after: "a date",
  during: "a date",
  pinned: "true or false",
};

const folded = (name: string) => name.normalize("NFKC").toLocaleLowerCase();
const written = (value: string) => (/[\s"]/u.test(value) ? `"${value.replaceAll('"', "")}"` : value);
const isoDay = (day: Date) =>
  `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, "0")}-${String(day.getDate()).padStart(2, "0")}`;

/** What to offer with the caret at `caret` in `text`, or null for nothing. */
export function suggestionsAt(
  text: string,
  caret: number,
  directory: SearchDirectory,
  now = new Date(),
): Suggestions | null {
  const token: SearchToken = tokenize(text).find((each) => each.start <= caret && caret <= each.end) ?? {
    key: null,
    value: "",
    isQuoted: false,
    start: caret,
    end: caret,
  };
  if (token.key === null) {
    if (token.isQuoted) return null;
    const typed = folded(token.value);
    const items = SEARCH_FILTERS.filter((filter) => filter.startsWith(typed)).map((filter) => ({
      key: filter,
      label: `${filter}:`,
      detail: FILTER_HINTS[filter],
      insert: `${filter}:`,
    }));
    return items.length > 0
      ? { kind: "filters", isFirstChosen: false, start: token.start, end: token.end, items }
      : null;
  }
  const typed = folded(token.value.replace(/^[@#]/, ""));
  const items = valuesFor(token.key, directory, now)
    .filter((item) => folded(`${item.label} ${item.detail}`).includes(typed))
    .slice(0, SUGGESTIONS_MAX)
    .map((item) => ({ ...item, insert: `${token.key}:${item.insert} ` }));
  const typedFilter = folded(text.slice(token.start, token.end));
  const first = folded(items[0]?.insert.trimEnd() ?? "");
  const isFirstChosen = first.length > typedFilter.length && first.startsWith(typedFilter);
  return items.length > 0 ? { kind: "values", isFirstChosen, start: token.start, end: token.end, items } : null;
}

/** Every value a filter could take; the caller keeps those matching what was typed. */
function valuesFor(key: string, directory: SearchDirectory, now: Date): SearchSuggestion[] {
  switch (key) {
    case "from":
    case "mentions":
      return directory.people.map((person) => ({
        key: person.userId,
        label: person.username,
        detail: person.displayName ?? "",
        insert: written(person.username),
      }));
    case "in":
      return directory.places.map((place) => ({
        key: place.channelId,
        label: place.kind === "channel" ? `#${place.name}` : place.name,
        detail: place.communityName ?? (place.kind === "group" ? "Group conversation" : "Direct message"),
        insert: place.kind === "channel" ? `#${written(place.name)}` : written(place.name),
      }));
    case "has":
      return HAS_VALUES.map((value) => ({ key: value, label: value, detail: "", insert: value }));
    case "pinned":
      return ["true", "false"].map((value) => ({ key: value, label: value, detail: "", insert: value }));
    case "before":
    case "after":
    case "during": {
      const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
      return [
        { key: "today", label: "today", detail: isoDay(now), insert: "today" },
        { key: "yesterday", label: "yesterday", detail: isoDay(yesterday), insert: "yesterday" },
        { key: "date", label: isoDay(now), detail: "any date as YYYY-MM-DD", insert: isoDay(now) },
      ];
    }
    default:
      return [];
  }
}

/** The text with a suggestion chosen, and where the caret goes next. */
export function applySuggestion(
  text: string,
  suggestions: Suggestions,
  item: SearchSuggestion,
): { text: string; caret: number } {
  const next = text.slice(0, suggestions.start) + item.insert + text.slice(suggestions.end);
  return { text: next, caret: suggestions.start + item.insert.length };
}
