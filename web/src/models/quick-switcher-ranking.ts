/**
 * The quick switcher's order: what was typed matched fuzzily (fuzzysort, the
 * Sublime Text kind: "gnrl" finds #general), ties and an empty query settled by
 * mentions first, then unread, then sidebar order. As in Discord, a leading "#"
 * looks among channels only and "@" among people and conversations only.
 * Loaded with the switcher, so the fuzzy matcher is fetched on first use.
 */
import fuzzysort from "fuzzysort";
import type { Destination } from "./quick-switcher-directory.ts";

/** Enough to fill the dialog twice; typing narrows the rest. */
const SHOWN_AT_MOST = 30;
/** Scores closer than this are a tie: unread settles it. */
const SAME_SCORE = 0.001;

const CHANNEL_KINDS: readonly Destination["kind"][] = ["channel", "voice"];
const PEOPLE_KINDS: readonly Destination["kind"][] = ["dm", "group", "person"];

/** Mentions first, then unread, then as they were. */
function urgency(row: Destination): number {
  if (row.mentions > 0) return 2;
  return row.unread > 0 ? 1 : 0;
}

function narrowed(rows: readonly Destination[], typed: string): { rows: readonly Destination[]; query: string } {
  const text = typed.trim();
  if (text.startsWith("#"))
    return { rows: rows.filter((row) => CHANNEL_KINDS.includes(row.kind)), query: text.slice(1) };
  if (text.startsWith("@"))
    return { rows: rows.filter((row) => PEOPLE_KINDS.includes(row.kind)), query: text.slice(1) };
  return { rows, query: text };
}

export function rankDestinations(all: readonly Destination[], typed: string): Destination[] {
  const { rows, query } = narrowed(all, typed);
  const position = new Map(rows.map((row, index) => [row.key, index]));
  const byUrgency = (a: Destination, b: Destination) =>
    urgency(b) - urgency(a) || position.get(a.key)! - position.get(b.key)!;
  if (query.trim() === "") {
    // Nothing typed: people without a conversation are for finding, not for this list.
    return rows
      .filter((row) => row.kind !== "person")
      .sort(byUrgency)
      .slice(0, SHOWN_AT_MOST);
  }
  const found = fuzzysort.go(query.trim(), rows, { key: "name", threshold: 0, limit: 0 });
  return [...found]
    .sort((a, b) => (Math.abs(a.score - b.score) > SAME_SCORE ? b.score - a.score : byUrgency(a.obj, b.obj)))
    .slice(0, SHOWN_AT_MOST)
    .map((result) => result.obj);
}
