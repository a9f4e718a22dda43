/**
 * Brings keyboard focus back to an element when a confirmation closes: the form
 * that held focus is gone, and focus would otherwise fall to the page's start.
 */
import { useEffect, useRef } from "preact/hooks";

export function useFocusWhenClosed<T extends HTMLElement>(isOpen: boolean) {
  const target = useRef<T>(null);
  const wasOpen = useRef(isOpen);
  useEffect(() => {
    if (wasOpen.current && !isOpen) target.current?.focus();
    wasOpen.current = isOpen;
  }, [isOpen]);
  return target;
}
