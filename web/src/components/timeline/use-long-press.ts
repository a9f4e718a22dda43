/**
 * A long press on a touch screen (a finger held still for LONG_PRESS_MS) calls
 * `onLongPress`, as phones open a message's actions; the menu the browser would
 * open for the same press is held back. Mouse and pen are left alone.
 */
import { useRef } from "preact/hooks";

export const LONG_PRESS_MS = 450;
/** A finger that moves further than this is scrolling, not pressing. */
const SLOP_PX = 10;

export function useLongPress(onLongPress: () => void) {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const start = useRef<{ x: number; y: number } | null>(null);
  const fired = useRef(false);
  const cancel = () => {
    clearTimeout(timer.current);
    start.current = null;
  };

  return {
    onPointerDown(event: PointerEvent) {
      if (event.pointerType !== "touch") return;
      cancel();
      fired.current = false;
      start.current = { x: event.clientX, y: event.clientY };
      timer.current = setTimeout(() => {
        fired.current = true;
        start.current = null;
        onLongPress();
      }, LONG_PRESS_MS);
    },
    onPointerMove(event: PointerEvent) {
      const from = start.current;
      if (from && Math.hypot(event.clientX - from.x, event.clientY - from.y) > SLOP_PX) cancel();
    },
    onPointerUp: cancel,
    onPointerCancel: cancel,
    onContextMenu(event: Event) {
      if (fired.current || start.current) event.preventDefault();
    },
  };
}
