/**
 * The search box at the right of a channel's header, as Discord's: a combobox whose
 * popover offers filters, then people, channels, kinds and dates as a filter is
 * typed. Enter searches (or takes the suggestion ↑/↓ chose), ↓ with no popover goes
 * to the results, Esc closes the popover, then the results. Ctrl/Cmd+F lands here.
 */
import { useRef } from "preact/hooks";
import type { SearchView } from "../../models/search/search-view.ts";
import { SEARCH_INPUT_ID } from "./search-focus.ts";
import { focusResults } from "./search-results.tsx";
import "./search.css";

const LISTBOX_ID = "search-suggestions";
const optionId = (key: string) => `search-suggestion-${key}`;

export function SearchBox({ search }: { search: SearchView }) {
  const input = useRef<HTMLInputElement>(null);
  const suggestions = search.suggestions.value;
  const active = suggestions?.items[search.activeSuggestion.value] ?? null;
  const text = search.text.value;

  // After the chosen text is drawn. A frame can come late (a busy or background page):
  // keys typed meanwhile have moved on, and the caret is theirs, not put back.
  const setCaret = (at: number) => {
    const chosen = search.text.peek();
    requestAnimationFrame(() => {
      const element = input.current;
      if (!element || element.value !== chosen) return;
      element.focus();
      element.setSelectionRange(at, at);
    });
  };
  const take = (key: string) => {
    const item = suggestions?.items.find((each) => each.key === key);
    if (item) setCaret(search.choose(item));
  };
  const follow = (event: Event) => {
    const element = event.currentTarget as HTMLInputElement;
    search.isTyping.value = true;
    search.edit(element.value, element.selectionStart ?? element.value.length);
  };

  function onKeyDown(event: KeyboardEvent): void {
    if (event.isComposing) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const step = event.key === "ArrowDown" ? 1 : -1;
      if (search.moveSuggestion(step)) event.preventDefault();
      else if (step > 0 && search.isOpen.peek() && search.shown.peek().length > 0) {
        event.preventDefault();
        search.moveSelection(1);
        focusResults();
      }
    } else if (event.key === "Enter" || (event.key === "Tab" && search.chosenSuggestion())) {
      event.preventDefault();
      const chosen = search.chosenSuggestion();
      if (chosen) setCaret(search.choose(chosen));
      else void search.search();
    } else if (event.key === "Escape") {
      // Handled here: the keyboard layer would take a lone Escape for "mark the channel read".
      event.preventDefault();
      if (suggestions) search.blur();
      else if (search.isOpen.peek()) search.close();
      else input.current?.blur();
    }
  }

  return (
    <div class="search-box" role="search">
      <label class="visually-hidden" for={SEARCH_INPUT_ID}>
        Search messages
      </label>
      <input
        ref={input}
        id={SEARCH_INPUT_ID}
        type="text"
        role="combobox"
        aria-expanded={!!suggestions}
        aria-controls={suggestions ? LISTBOX_ID : undefined}
        aria-autocomplete="list"
        aria-activedescendant={active ? optionId(active.key) : undefined}
        placeholder="Search"
        autoComplete="off"
        spellcheck={false}
        value={text}
        onInput={follow}
        onClick={follow}
        onKeyUp={(event) =>
          (event.key === "ArrowLeft" || event.key === "ArrowRight" || event.key === "Home" || event.key === "End") &&
          follow(event)
        }
        onFocus={() => search.focus()}
        onBlur={() => search.blur()}
        onKeyDown={onKeyDown}
      />
      {text ? (
        <button
          type="button"
          class="search-clear"
          aria-label="Clear the search"
          title="Clear the search"
          onClick={() => {
            search.clear();
            input.current?.focus();
          }}
        >
          ×
        </button>
      ) : (
        <svg class="search-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
          <path
            d="M10.5 4a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13zm4.8 11.3L20 20"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            stroke-linecap="round"
          />
        </svg>
      )}
      {suggestions && (
        <ul
          id={LISTBOX_ID}
          class="search-suggestions"
          role="listbox"
          aria-label={suggestions.kind === "filters" ? "Search options" : "Suggestions"}
        >
          {suggestions.kind === "filters" && (
            <li class="search-suggestions-heading" role="presentation">
              Search options
            </li>
          )}
          {suggestions.items.map((item) => (
            <li
              key={item.key}
              id={optionId(item.key)}
              role="option"
              aria-selected={item === active}
              class={item === active ? "search-suggestion is-active" : "search-suggestion"}
              // Taken before the box's blur would close the popover.
              onMouseDown={(event) => {
                event.preventDefault();
                take(item.key);
              }}
            >
              <span class="search-suggestion-label">{item.label}</span>
              {item.detail && <span class="search-suggestion-detail">{item.detail}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
