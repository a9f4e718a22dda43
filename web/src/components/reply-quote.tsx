/**
 * What a message replies to, above it as Discord shows it (a curved line from the
 * avatar, the author's small avatar and name, the start of their words), as a
 * button that brings that message into view (loading it when needed). Screen
 * readers hear "Replying to alice: …".
 */
import type { Chat } from "../models/chat.ts";
import { findBySeq } from "../models/timeline.ts";
import { Avatar } from "./avatar.tsx";
import { PersonName } from "./people/person-name.tsx";
import { plainWords } from "./rich-text/plain-words.ts";

/** Enough of the message replied to to recognise it. */
const EXCERPT_LENGTH = 80;

export function ReplyQuote({ chat, seq }: { chat: Chat; seq: number }) {
  const target = findBySeq(chat.entries.value, seq);
  if (!target || target.isDeleted) {
    return (
      <button type="button" class="reply-quote" onClick={() => void chat.history.jumpTo(seq)}>
        Replying to {target ? "a deleted message" : "an earlier message"}
      </button>
    );
  }
  const name = chat.senderNameOf(target);
  return (
    <button type="button" class="reply-quote" onClick={() => void chat.history.jumpTo(seq)}>
      <Avatar
        name={name}
        id={target.senderId}
        url={chat.people().find((person) => person.userId === target.senderId)?.avatarUrl}
        size="small"
        isDecorative
      />
      {/* Inline, so the name screen readers hear reads "Replying to alice: …" without stray spaces. */}
      <span class="reply-hidden-words">Replying to </span>
      <span class="reply-author">
        <PersonName userId={target.senderId} fallback={name} />
      </span>
      <span class="reply-hidden-words">:</span> {excerpt(target.text ?? "a message this device cannot show")}
    </button>
  );
}

export function excerpt(text: string): string {
  // Without its markdown, and with any spoiler kept hidden.
  const line = plainWords(text);
  return line.length > EXCERPT_LENGTH ? `${line.slice(0, EXCERPT_LENGTH - 1)}…` : line;
}
