/**
 * Syntax highlighting for code blocks: lowlight (highlight.js's grammars) giving a
 * tree of spans rather than HTML. This module is its own chunk, imported only
 * when a message shows a code block with a language, so opening a channel does
 * not download the grammars.
 */
import type { Root } from "hast";
import { common, createLowlight } from "lowlight";

const lowlight = createLowlight(common);

/** The code as highlight.js's token spans, or null when the language is not one it knows. */
export function highlightCode(code: string, language: string): Root | null {
  const name = language.toLowerCase();
  return lowlight.registered(name) ? lowlight.highlight(name, code) : null;
}
