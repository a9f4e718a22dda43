/** "bob is typing…", announced politely; the line keeps its height so the list does not jump. */

export function typingInWords(names: readonly string[]): string {
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return "Several people are typing…";
}

export function TypingIndicator({ names }: { names: readonly string[] }) {
  return (
    <p class="typing-indicator" aria-live="polite">
      {typingInWords(names)}
    </p>
  );
}
