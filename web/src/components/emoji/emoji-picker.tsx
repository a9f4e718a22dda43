/**
 * The emoji picker: a search box (focused when it opens), the recently used emoji
 * first, then every category with a rail to jump between them, skin tones, and a
 * preview naming the emoji under the pointer or focus. Used by the composer
 * (insert) and by the reaction picker (react); the caller positions it. Esc, or a
 * click outside it, closes it; focus goes back where it was. The emoji data loads
 * on first use, in a chunk of its own (see emoji-groups.ts).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { noteEmojiUsed } from "../../models/recent-emoji.ts";
import type { EmojiCatalog } from "./emoji-catalog.ts";
import { loadedEmojiCatalog, loadEmojiCatalog } from "./emoji-groups.ts";
import { EmojiPickerBody } from "./emoji-picker-body.tsx";
import { SkinToneChooser } from "./skin-tone-chooser.tsx";
import "./emoji-picker.css";

export interface EmojiPickerProps {
  /** Called with the emoji's characters (e.g. "👍"); the picker notes it as recently used. */
  onPick(emoji: string): void;
  /** Esc, a click outside, or after a pick when the caller closes it. */
  onClose(): void;
  /** What the picker is for, read by screen readers: "Add a reaction", "Insert an emoji". */
  label: string;
}

export function EmojiPicker({ onPick, onClose, label }: EmojiPickerProps) {
  const [query, setQuery] = useState("");
  const catalog = useEmojiCatalog();
  const root = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  useFocusAndReturn(search);
  useCloseOnOutsidePointer(root, onClose);

  const pick = (emoji: string) => {
    noteEmojiUsed(emoji);
    onPick(emoji);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Escape") return;
    // The picker's own Esc: the composer or message around it must not also act on it.
    event.preventDefault();
    event.stopPropagation();
    onClose();
  };
  const onSearchKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter") {
      // Enter takes the first match, as in Discord; without a search there is nothing to take.
      event.preventDefault();
      const first = root.current?.querySelector<HTMLButtonElement>(".emoji-cell");
      if (query.trim() && first?.dataset.emoji) pick(first.dataset.emoji);
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      root.current?.querySelector<HTMLButtonElement>(".emoji-cell")?.focus();
    }
  };

  return (
    <div ref={root} role="dialog" aria-label={label} class="emoji-picker" onKeyDown={onKeyDown}>
      <div class="emoji-picker-top">
        <input
          ref={search}
          type="search"
          class="emoji-search"
          aria-label="Search emoji"
          placeholder="Find the perfect emoji"
          value={query}
          autoComplete="off"
          spellcheck={false}
          onInput={(event) => setQuery(event.currentTarget.value)}
          onKeyDown={onSearchKeyDown}
        />
        <SkinToneChooser />
      </div>
      {catalog.kind === "ready" ? (
        <EmojiPickerBody catalog={catalog.catalog} query={query} onPick={pick} searchField={search} />
      ) : catalog.kind === "loading" ? (
        <p class="emoji-picker-status" role="status">
          Loading emoji…
        </p>
      ) : (
        <p class="emoji-picker-status" role="alert">
          The emoji could not be loaded.{" "}
          <button type="button" class="link-button" onClick={catalog.retry}>
            Try again
          </button>
        </p>
      )}
    </div>
  );
}

type CatalogState =
  { kind: "loading" } | { kind: "ready"; catalog: EmojiCatalog } | { kind: "failed"; retry: () => void };

function useEmojiCatalog(): CatalogState {
  // Opened again, the picker shows at once: no "Loading" flash for a catalog already here.
  const [state, setState] = useState<CatalogState>(() => {
    const loaded = loadedEmojiCatalog();
    return loaded ? { kind: "ready", catalog: loaded } : { kind: "loading" };
  });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let isCurrent = true;
    loadEmojiCatalog().then(
      (catalog) => isCurrent && setState({ kind: "ready", catalog }),
      () => isCurrent && setState({ kind: "failed", retry: () => setAttempt((count) => count + 1) }),
    );
    return () => {
      isCurrent = false;
    };
  }, [attempt]);
  return state;
}

/** Focuses the search box on opening; on closing, gives focus back to what had it, unless the caller moved it. */
function useFocusAndReturn(search: { current: HTMLInputElement | null }) {
  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    search.current?.focus();
    const picker = search.current?.closest(".emoji-picker");
    return () => {
      const now = document.activeElement;
      if (!now || now === document.body || picker?.contains(now)) previous?.focus();
    };
  }, []);
}

/**
 * A press outside the picker closes it. The caller's own toggle button (the one whose
 * aria-expanded says the picker is open) is left to close it, or it would reopen at once.
 */
function useCloseOnOutsidePointer(root: { current: HTMLElement | null }, onClose: () => void) {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target instanceof Element ? event.target : null;
      if (!target || root.current?.contains(target)) return;
      if (target.closest('[aria-expanded="true"]')) return;
      close.current();
    };
    document.addEventListener("pointerdown", onPointerDown, true);
    return () => document.removeEventListener("pointerdown", onPointerDown, true);
  }, []);
}
