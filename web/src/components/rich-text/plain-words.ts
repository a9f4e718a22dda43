/**
 * A message's words without its markdown, for one-line excerpts (a reply's quote,
 * the composer's "Replying to"): "**done**, see [the notes](https://…)" reads
 * "done, see the notes", and a spoiler stays hidden as "[spoiler]".
 */
import type { Token, Tokens } from "marked";
import { parseMessage } from "./parse-message.ts";

export const HIDDEN_SPOILER = "[spoiler]";

export function plainWords(text: string): string {
  return wordsOf(parseMessage(text)).replace(/\s+/g, " ").trim();
}

function wordsOf(tokens: readonly Token[]): string {
  return tokens.map(tokenWords).join("");
}

function tokenWords(token: Token): string {
  const known = token as Tokens.Generic;
  switch (known.type) {
    case "spoiler":
      return HIDDEN_SPOILER;
    case "list":
      return (known as Tokens.List).items.map((item) => wordsOf(item.tokens)).join(" ");
    case "br":
    case "space":
      return " ";
    case "code":
    case "codespan":
    case "escape":
    case "mention":
      return known.text;
    case "paragraph":
    case "heading":
    case "quote":
    case "subtext":
      return `${wordsOf(known.tokens ?? [])} `;
    default:
      return known.tokens ? wordsOf(known.tokens) : (known.text ?? known.raw);
  }
}
