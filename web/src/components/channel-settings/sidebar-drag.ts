/**
 * What is being dragged in the channel list, and where it would land: shared by the
 * channel rows and the category headers of one list (HTML5 drag and drop: no library
 * needed for one list of rows, and the keyboard does the same through the menu).
 */
import { signal } from "@preact/signals";

export interface Dragged {
  kind: "channel" | "category";
  id: string;
}

export interface DropHint {
  /** The row or header the pointer is over. */
  id: string;
  isAfter: boolean;
}

export function createSidebarDrag() {
  return { dragged: signal<Dragged | null>(null), hint: signal<DropHint | null>(null) };
}

export type SidebarDrag = ReturnType<typeof createSidebarDrag>;

/** Whether the pointer is in the lower half of the element: the drop goes after it. */
export function isInLowerHalf(event: DragEvent): boolean {
  const box = (event.currentTarget as HTMLElement).getBoundingClientRect();
  return event.clientY > box.top + box.height / 2;
}

/** After a move re-renders the list, focus goes back to the moved row's link (or header's button). */
export function refocus(selector: string): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>(selector)?.focus());
}
