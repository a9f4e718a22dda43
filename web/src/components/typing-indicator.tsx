/**
 * "bob is typing…" under the messages, names in bold after three bouncing dots as
 * in Discord, announced politely; the line keeps its height so the list does not jump.
 */
import type { ComponentChildren } from "preact";
import "./timeline/timeline.css";

export function typingInWords(names: readonly string[]): string {
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return "Several people are typing…";
}

/** The same words, with the names in bold. */
function typingWithNames(names: readonly string[]): ComponentChildren {
  if (names.length === 1) return [<strong key="1">{names[0]}</strong>, " is typing…"];
  if (names.length === 2)
    return [<strong key="1">{names[0]}</strong>, " and ", <strong key="2">{names[1]}</strong>, " are typing…"];
  return typingInWords(names);
}

export function TypingIndicator({ names }: { names: readonly string[] }) {
  return (
    <p class="typing-indicator" aria-live="polite">
      {names.length > 0 && (
        <span class="typing-dots" aria-hidden="true">
          <span />
          <span />
          <span />
        </span>
      )}
      <span class="typing-words">{typingWithNames(names)}</span>
    </p>
  );
}
