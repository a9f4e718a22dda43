/**
 * A ||spoiler||: covered until someone clicks it or presses Enter or Space on it.
 * While covered, what it hides is inert: screen readers hear "Spoiler", and a link
 * inside takes no focus and no click until it shows.
 */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";

export function Spoiler({ children }: { children: ComponentChildren }) {
  const [isRevealed, setRevealed] = useState(false);
  // Still focusable from script once revealed, so a keyboard user's focus stays where it was.
  if (isRevealed)
    return (
      <span class="spoiler is-revealed" tabIndex={-1}>
        {children}
      </span>
    );
  const reveal = (event: Event) => {
    // A spoiler inside a link reveals first; following the link takes a second click.
    event.preventDefault();
    setRevealed(true);
  };
  return (
    <span
      class="spoiler"
      role="button"
      tabIndex={0}
      aria-label="Spoiler, press to reveal"
      title="Spoiler: click to reveal"
      onClick={reveal}
      onKeyDown={(event) => (event.key === "Enter" || event.key === " ") && reveal(event)}
    >
      <span class="spoiler-content" inert>
        {children}
      </span>
    </span>
  );
}
