/**
 * Puts the field's caret somewhere once the field shows its new text: a controlled
 * textarea given a new value moves its caret to the end, so an insertion in the
 * middle (an emoji, a completed @mention) must place it again after rendering.
 */
import { useLayoutEffect, useRef } from "preact/hooks";

export function useCaretAfterRender(field: { current: HTMLTextAreaElement | null }) {
  const pending = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (pending.current === null || !field.current) return;
    field.current.setSelectionRange(pending.current, pending.current);
    pending.current = null;
  });
  /** Call with the text change: after the next render the caret is at `position`. */
  return (position: number) => {
    pending.current = position;
  };
}
