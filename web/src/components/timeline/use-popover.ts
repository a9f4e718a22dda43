/**
 * A small window that opens from a button (the reaction picker, the "More" menu):
 * shown in the page's top layer (the element carries `popover="manual"`), so no
 * panel beside the list covers it, and placed beside its button with fixed
 * coordinates; below the button when it fits, else above; closed by Esc or a
 * click outside, with focus back on the button. The strict CSP allows no style
 * attributes in markup: the place is set through the element's style object.
 */
import { useLayoutEffect, useRef, type MutableRef } from "preact/hooks";

/** Room kept between the popover and the window's edges. */
const EDGE_PX = 8;

export function usePopover<T extends HTMLElement>(anchor: MutableRef<HTMLElement | null>, onClose: () => void) {
  const popover = useRef<T>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useLayoutEffect(() => {
    const element = popover.current;
    const button = anchor.current;
    if (!element || !button) return;
    element.showPopover();
    const place = () => {
      const from = button.getBoundingClientRect();
      const { width, height } = element.getBoundingClientRect();
      const fitsBelow = from.bottom + EDGE_PX + height <= innerHeight;
      const top = fitsBelow ? from.bottom + 4 : Math.max(EDGE_PX, from.top - 4 - height);
      const left = Math.min(Math.max(EDGE_PX, from.right - width), innerWidth - width - EDGE_PX);
      element.style.top = `${Math.round(top)}px`;
      element.style.left = `${Math.round(Math.max(EDGE_PX, left))}px`;
    };
    place();
    // The picker may grow once its emoji load: placed again when its size changes.
    const observer = new ResizeObserver(place);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Its keys and clicks are heard from the frame it shows in (an effect would wait a frame).
  useLayoutEffect(() => {
    const button = anchor.current;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!popover.current?.contains(target) && !button?.contains(target)) close.current();
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      event.stopPropagation();
      close.current();
    };
    document.addEventListener("pointerdown", onPointerDown, true);
    popover.current?.addEventListener("keydown", onKeyDown);
    const element = popover.current;
    return () => {
      document.removeEventListener("pointerdown", onPointerDown, true);
      element?.removeEventListener("keydown", onKeyDown);
      // Focus goes back where it came from, unless the person clicked elsewhere.
      if (
        !document.activeElement ||
        document.activeElement === document.body ||
        element?.contains(document.activeElement)
      )
        button?.focus({ preventScroll: true });
    };
  }, []);

  return popover;
}
