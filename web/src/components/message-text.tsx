/**
 * A message's words as Discord users write them: markdown (see rich-text/),
 * @mentions set apart, and a message of emoji alone shown large. Everything is
 * built as Preact elements from the parser's tokens; no HTML from the message.
 */
import { useMemo } from "preact/hooks";
import { blockElements } from "./rich-text/block-tokens.tsx";
import { isJumboEmoji } from "./rich-text/emoji-text.tsx";
import { parseMessage } from "./rich-text/parse-message.ts";
import "./rich-text/rich-text.css";

export function MessageText({ text }: { text: string }) {
  const content = useMemo(() => blockElements(parseMessage(text)), [text]);
  return <div class={isJumboEmoji(text) ? "rich-text is-jumbo" : "rich-text"}>{content}</div>;
}
