/**
 * A result's text cut to what the panel shows, in plain runs and matched runs: the
 * engine's [start, end) ranges clamped, sorted and merged, and a long message cut
 * to a window around its first match, so the match is always in view.
 */

/** Longer messages show this many characters around the first match. */
export const EXCERPT_MAX_CHARACTERS = 320;

export interface ExcerptPiece {
  text: string;
  isMatch: boolean;
}

/** The ranges inside the text, in order, overlapping ones joined. */
export function mergedRanges(length: number, matches: readonly (readonly [number, number])[]): [number, number][] {
  const ranges = matches
    .map(
      ([start, end]) => [Math.max(0, Math.min(start, length)), Math.max(0, Math.min(end, length))] as [number, number],
    )
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

export function excerptPieces(
  text: string,
  matches: readonly (readonly [number, number])[],
  max = EXCERPT_MAX_CHARACTERS,
): ExcerptPiece[] {
  const ranges = mergedRanges(text.length, matches);
  let from = 0;
  let to = text.length;
  if (text.length > max) {
    from = Math.max(0, Math.min((ranges[0]?.[0] ?? 0) - Math.floor(max / 4), text.length - max));
    to = from + max;
    // Never cut an emoji (a surrogate pair) in half.
    if (isLowSurrogate(text.charCodeAt(from))) from -= 1;
    if (isLowSurrogate(text.charCodeAt(to))) to += 1;
  }
  const pieces: ExcerptPiece[] = [];
  const push = (start: number, end: number, isMatch: boolean) => {
    if (end > start) pieces.push({ text: text.slice(start, end), isMatch });
  };
  if (from > 0) pieces.push({ text: "…", isMatch: false });
  let at = from;
  for (const [start, end] of ranges) {
    if (end <= from || start >= to) continue;
    push(at, Math.max(at, start), false);
    push(Math.max(at, start), Math.min(end, to), true);
    at = Math.min(end, to);
  }
  push(at, to, false);
  if (to < text.length) pieces.push({ text: "…", isMatch: false });
  return pieces;
}
