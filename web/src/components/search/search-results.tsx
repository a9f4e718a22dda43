/**
 * The results panel at the right, as Discord's (on a phone the whole screen under the
 * channel's header, whose search box stays in reach): how
 * many matched, newest or most relevant first, the device's indexing state, what
 * the query could not use, then the results grouped by channel, each with its
 * sender, time and text with the match marked. The list is a listbox: ↑/↓ move,
 * Enter opens the message in its channel, Esc closes the panel.
 */
import { useEffect } from "preact/hooks";
import { profiles } from "../../models/profiles.ts";
import type { SearchResult } from "../../models/search/search-types.ts";
import type { SearchView } from "../../models/search/search-view.ts";
import { sentence } from "../sentence.ts";
import { dateTimeInWords } from "../time-words.ts";
import { indexingInWords } from "./indexing-words.ts";
import { excerptPieces } from "./match-excerpt.ts";
import { searchInput } from "./search-focus.ts";
import { useBelowHeader } from "./use-below-header.ts";
import "./search.css";

const RESULTS_ID = "search-results";
const resultId = (result: SearchResult) => `search-result-${result.channelId}-${result.seq}`;
const count = new Intl.NumberFormat();
/** On a phone the panel is the whole screen: opening a result shows the channel instead. */
const PHONE_QUERY = "(max-width: 40rem)";

export const focusResults = () => document.getElementById(RESULTS_ID)?.focus();

export function SearchResults({ search }: { search: SearchView }) {
  const outcome = search.outcome.value;
  const notes = search.ran.value?.notes ?? [];
  const shown = search.shown.value;
  const selected = shown[search.selected.value] ?? null;
  const progress = search.progress.value;
  const page = search.page.value;
  const total = outcome?.total ?? 0;
  const panel = useBelowHeader<HTMLElement>();

  useEffect(() => {
    if (selected) document.getElementById(resultId(selected))?.scrollIntoView({ block: "nearest" });
  }, [selected]);

  const open = (result: SearchResult) => {
    void search.open(result);
    if (matchMedia(PHONE_QUERY).matches) search.close();
  };
  const close = () => {
    search.close();
    searchInput()?.focus();
  };

  function onKeyDown(event: KeyboardEvent): void {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      search.moveSelection(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && selected) {
      event.preventDefault();
      open(selected);
    }
  }

  return (
    <aside
      ref={panel}
      class="search-panel"
      aria-labelledby="search-heading"
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        event.preventDefault();
        close();
      }}
    >
      <header class="search-panel-header">
        <h2 id="search-heading" aria-live="polite">
          {search.isSearching.value ? "Searching…" : `${count.format(total)} ${total === 1 ? "result" : "results"}`}
        </h2>
        <div class="search-sort" role="group" aria-label="Order">
          {(["newest", "relevance"] as const).map((sort) => (
            <button
              key={sort}
              type="button"
              class="small"
              aria-pressed={search.sort.value === sort}
              onClick={() => void search.setSort(sort)}
            >
              {sort === "newest" ? "Newest" : "Most relevant"}
            </button>
          ))}
        </div>
        <button type="button" class="icon-button search-close" aria-label="Close the search results" onClick={close}>
          ×
        </button>
      </header>
      <p class={progress.running ? "search-indexing is-running" : "search-indexing"} role="status">
        {indexingInWords(progress)}
      </p>
      {notes.length > 0 && (
        <ul class="search-notes" aria-label="Not understood">
          {notes.map((note, index) => (
            <li key={index}>
              <code>{note.text}</code>: {note.reason}.
            </li>
          ))}
        </ul>
      )}
      {search.problem.value && (
        <p class="error" role="alert">
          {sentence(search.problem.value)}
        </p>
      )}
      {outcome && total === 0 && !search.isSearching.value && (
        <p class="placeholder search-empty">No messages match on this device.</p>
      )}
      <div
        id={RESULTS_ID}
        class="search-results"
        role="listbox"
        aria-label="Search results"
        tabIndex={0}
        aria-activedescendant={selected ? resultId(selected) : undefined}
        aria-busy={search.isSearching.value}
        onKeyDown={onKeyDown}
        onFocus={() => search.selected.peek() < 0 && search.moveSelection(1)}
      >
        {search.groups.value.map((group) => (
          <div
            key={group.channelId}
            role="group"
            class="search-group"
            aria-labelledby={`search-group-${group.channelId}`}
          >
            <h3 id={`search-group-${group.channelId}`} class="search-group-name" role="presentation">
              {group.place ? (group.place.kind === "channel" ? `#${group.place.name}` : group.place.name) : "A channel"}
              {group.place?.communityName && <span class="search-group-community">{group.place.communityName}</span>}
            </h3>
            {group.results.map((result) => (
              <ResultOption
                key={resultId(result)}
                result={result}
                isSelected={result === selected}
                onOpen={() => open(result)}
              />
            ))}
          </div>
        ))}
      </div>
      {search.pageCount.value > 1 && (
        <nav class="search-pages" aria-label="Result pages">
          <button type="button" class="small" disabled={page === 0} onClick={() => void search.goToPage(page - 1)}>
            Previous
          </button>
          <span>
            Page {page + 1} of {search.pageCount.value}
          </span>
          <button
            type="button"
            class="small"
            disabled={page + 1 >= search.pageCount.value}
            onClick={() => void search.goToPage(page + 1)}
          >
            Next
          </button>
        </nav>
      )}
    </aside>
  );
}

function ResultOption(props: { result: SearchResult; isSelected: boolean; onOpen: () => void }) {
  const { result, isSelected, onOpen } = props;
  const sender = profiles.nameOf(result.senderId, profiles.usernameOf(result.senderId) ?? "Someone");
  return (
    <div
      id={resultId(result)}
      role="option"
      aria-selected={isSelected}
      class={isSelected ? "search-result is-selected" : "search-result"}
      onClick={onOpen}
    >
      <p class="search-result-meta">
        <span class="search-result-sender">{sender}</span>{" "}
        <time dateTime={result.sentAt}>{dateTimeInWords(result.sentAt)}</time>
      </p>
      <p class="search-result-text">
        {excerptPieces(result.text, result.matches).map((piece, index) =>
          piece.isMatch ? <mark key={index}>{piece.text}</mark> : piece.text,
        )}
      </p>
    </div>
  );
}
