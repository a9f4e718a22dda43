/**
 * A section's title. It takes focus (from the admin page, when a section opens
 * after a click) without joining the Tab order, so it carries no tab stop.
 */
import type { ComponentChildren } from "preact";

export function SectionHeading({ id, children }: { id: string; children: ComponentChildren }) {
  return (
    <h1 id={id} class="section-heading" tabIndex={-1}>
      {children}
    </h1>
  );
}
