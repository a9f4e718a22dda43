/**
 * What the emoji picker shows under its search box: the category rail and the
 * grid (recently used, then each category), or the search's matches; and a
 * preview naming the emoji under the pointer or focus with its shortcode.
 * The grid is one Tab stop; arrow keys move through it, and ↑ from its first row
 * goes back to the search.
 */
import { useMemo, useRef, useState } from "preact/hooks";
import { recentEmoji } from "../../models/recent-emoji.ts";
import type { EmojiCatalog } from "./emoji-catalog.ts";
import { EMOJI_GROUPS } from "./emoji-groups.ts";
import { inSkinTone, skinTone } from "./skin-tone.ts";

/** Cells per row: the CSS grid has as many columns (emoji-picker.css). */
const COLUMNS = 9;

interface Section {
  key: string;
  label: string;
  icon: string;
  cells: string[];
}

interface BodyProps {
  catalog: EmojiCatalog;
  query: string;
  onPick(emoji: string): void;
  searchField: { current: HTMLInputElement | null };
}

export function EmojiPickerBody({ catalog, query, onPick, searchField }: BodyProps) {
  const [previewed, setPreviewed] = useState<string | null>(null);
  const grid = useRef<HTMLDivElement>(null);
  const tone = skinTone.value;
  const recent = recentEmoji.value;
  const trimmed = query.trim();
  const sections = useMemo(
    () => (trimmed ? [] : browseSections(catalog, tone, recent)),
    [catalog, tone, recent, trimmed],
  );
  const matches = useMemo(
    () => (trimmed ? catalog.search(trimmed).map((entry) => inSkinTone(entry, tone)) : []),
    [catalog, tone, trimmed],
  );
  // The cells are many: built once per search or tone, not again when the preview moves.
  const cells = useMemo(
    () => <GridContent query={trimmed} sections={sections} matches={matches} catalog={catalog} />,
    [trimmed, sections, matches, catalog],
  );

  const jumpTo = (key: string) => {
    const heading = grid.current?.querySelector(`#emoji-section-${key}`);
    heading?.scrollIntoView({ block: "start" });
    heading?.parentElement?.querySelector<HTMLButtonElement>(".emoji-cell")?.focus({ preventScroll: true });
  };
  const onGridKeyDown = (event: KeyboardEvent) => {
    const all = [...(grid.current?.querySelectorAll<HTMLButtonElement>(".emoji-cell") ?? [])];
    const index = all.indexOf(event.target as HTMLButtonElement);
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -COLUMNS, ArrowDown: COLUMNS }[event.key];
    if (index < 0 || step === undefined) return;
    event.preventDefault();
    const next = index + step;
    if (next < 0) return searchField.current?.focus();
    all[Math.min(next, all.length - 1)]?.focus();
  };
  /** One listener for every cell: which emoji was clicked, pointed at or focused. */
  const emojiOf = (event: Event) =>
    event.target instanceof Element ? (event.target.closest<HTMLElement>(".emoji-cell")?.dataset.emoji ?? null) : null;
  const shown = previewed ?? matches[0] ?? sections[0]?.cells[0] ?? null;
  const shownEntry = shown ? catalog.find(shown) : undefined;

  return (
    <div class="emoji-picker-body">
      {!trimmed && (
        <nav class="emoji-rail" aria-label="Emoji categories">
          {sections.map((section) => (
            <button
              type="button"
              key={section.key}
              class="emoji-rail-button"
              aria-label={section.label}
              title={section.label}
              onClick={() => jumpTo(section.key)}
            >
              {section.icon}
            </button>
          ))}
        </nav>
      )}
      <div
        class="emoji-grid"
        ref={grid}
        onKeyDown={onGridKeyDown}
        onClick={(event) => {
          const emoji = emojiOf(event);
          if (emoji) onPick(emoji);
        }}
        onPointerOver={(event) => setPreviewed(emojiOf(event) ?? previewed)}
        onFocusIn={(event) => setPreviewed(emojiOf(event) ?? previewed)}
      >
        {cells}
      </div>
      <p class="emoji-preview" aria-hidden="true">
        {shown && (
          <>
            <span class="emoji-preview-glyph">{shown}</span>
            <span class="emoji-preview-name">
              {shownEntry?.shortcodes[0] ? `:${shownEntry.shortcodes[0]}:` : (shownEntry?.label ?? "")}
            </span>
          </>
        )}
      </p>
    </div>
  );
}

interface GridContentProps {
  query: string;
  sections: Section[];
  matches: string[];
  catalog: EmojiCatalog;
}

function GridContent({ query, sections, matches, catalog }: GridContentProps) {
  // One Tab stop for the whole grid (its first emoji), not two thousand: the arrow keys move inside it.
  let isTabStopTaken = false;
  const cell = (emoji: string) => {
    const tabIndex = isTabStopTaken ? -1 : 0;
    isTabStopTaken = true;
    return (
      <button
        type="button"
        key={emoji}
        class="emoji-cell"
        data-emoji={emoji}
        aria-label={catalog.find(emoji)?.label ?? emoji}
        tabIndex={tabIndex}
      >
        {emoji}
      </button>
    );
  };
  if (query) {
    return matches.length > 0 ? (
      <div role="group" aria-label={`Emoji matching ${query}`} class="emoji-cells">
        {matches.map(cell)}
      </div>
    ) : (
      <p class="emoji-picker-status">No emoji match “{query}”.</p>
    );
  }
  return (
    <>
      {sections.map((section) => (
        <section key={section.key} aria-labelledby={`emoji-section-${section.key}`}>
          <h3 id={`emoji-section-${section.key}`} class="emoji-section-heading">
            {section.label}
          </h3>
          <div class="emoji-cells">{section.cells.map(cell)}</div>
        </section>
      ))}
    </>
  );
}

/** Recently used (when there are any), then each category, in the chosen skin tone. */
function browseSections(catalog: EmojiCatalog, tone: number, recent: readonly string[]): Section[] {
  const sections: Section[] = [];
  if (recent.length > 0) {
    sections.push({
      key: "recent",
      label: "Recently used",
      icon: "🕘",
      cells: [...recent],
    });
  }
  for (const group of EMOJI_GROUPS) {
    sections.push({
      key: group.key,
      label: group.label,
      icon: group.icon,
      cells: catalog.entries.filter((entry) => entry.groupKey === group.key).map((entry) => inSkinTone(entry, tone)),
    });
  }
  return sections;
}
