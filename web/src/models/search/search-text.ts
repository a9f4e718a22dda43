/**
 * How message text becomes search terms, one way for the index and for the query:
 * words are runs of letters and digits (any script), each emoji a term of its own,
 * folded to lower case without diacritics ("Café" and "cafe" are one term). The same
 * walk finds where a query matched in the original text, for highlighting.
 */
import type { Attachment } from "../../../../e2ee/index.ts";
import type { SearchHas } from "./search-types.ts";

/** A word (letters, digits and their combining marks) or one pictograph. */
const TERM = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*|\p{Extended_Pictographic}/gu;
const MARKS = /\p{M}+/gu;
/** A link as people paste it; a message that has one answers `has:link`. */
const LINK = /\bhttps?:\/\/[^\s<>"]+|\bwww\.[^\s<>"]+\.[^\s<>"]+/iu;
/** Longer terms are cut: nobody types them, and the index stays small. */
const TERM_LENGTH_MAX = 64;

/** Lower case, without diacritics; what both the index and the query compare. */
export function foldTerm(term: string): string {
  return term.normalize("NFD").replace(MARKS, "").toLowerCase().slice(0, TERM_LENGTH_MAX);
}

/** The text's terms, in order, as written (the index folds them with `foldTerm`). */
export function splitTerms(text: string): string[] {
  return text.match(TERM) ?? [];
}

/** The folded terms of what was typed: the query side of `splitTerms` + `foldTerm`. */
export function queryTerms(text: string): string[] {
  return splitTerms(text)
    .map(foldTerm)
    .filter((term) => term.length > 0);
}

/** Whether the text holds the phrase's terms next to each other, in order. */
export function holdsPhrase(text: string, phrase: string): boolean {
  const wanted = queryTerms(phrase);
  if (wanted.length === 0) return true;
  return ` ${queryTerms(text).join(" ")} `.includes(` ${wanted.join(" ")} `);
}

/**
 * The [start, end) ranges of `text` whose terms start with one of `terms` (already
 * folded): a prefix match, as the index matches, so "meet" highlights "meeting".
 */
export function matchRanges(text: string, terms: readonly string[]): [number, number][] {
  if (terms.length === 0) return [];
  const ranges: [number, number][] = [];
  for (const found of text.matchAll(TERM)) {
    const folded = foldTerm(found[0]);
    if (terms.some((term) => folded.startsWith(term))) ranges.push([found.index, found.index + found[0].length]);
  }
  return ranges;
}

/** What `has:` finds in a message: links in its text, and its files by their media types. */
export function hasKinds(text: string, attachments: readonly Pick<Attachment, "type">[] = []): SearchHas[] {
  const kinds = new Set<SearchHas>();
  if (LINK.test(text)) kinds.add("link");
  for (const attachment of attachments) {
    kinds.add("file");
    const family = attachment.type.split("/")[0];
    if (family === "image" || family === "video" || family === "audio") kinds.add(family);
  }
  return [...kinds];
}
