/** What a message replies to, as a button that brings that message into view (loading it when needed). */
import type { Chat } from "../models/chat.ts";
import { findBySeq } from "../models/timeline.ts";
import { plainWords } from "./rich-text/plain-words.ts";

/** Enough of the message replied to to recognise it. */
const EXCERPT_LENGTH = 80;

export function ReplyQuote({ chat, seq }: { chat: Chat; seq: number }) {
  const target = findBySeq(chat.entries.value, seq);
  const words = !target
    ? "an earlier message"
    : target.isDeleted
      ? "a deleted message"
      : `${target.senderName}: ${excerpt(target.text ?? "a message this device cannot show")}`;
  return (
    <button type="button" class="reply-quote" onClick={() => void chat.history.jumpTo(seq)}>
      <span aria-hidden="true">↪ </span>Replying to {words}
    </button>
  );
}

export function excerpt(text: string): string {
  // Without its markdown, and with any spoiler kept hidden.
  const line = plainWords(text);
  return line.length > EXCERPT_LENGTH ? `${line.slice(0, EXCERPT_LENGTH - 1)}…` : line;
}
