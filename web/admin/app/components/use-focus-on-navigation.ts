/**
 * Moves keyboard focus to the new section's title after an in-page navigation, so
 * keyboard and screen reader users land at the top of what they chose rather than
 * on the link they left. Not on the first render: a page load starts at the top anyway.
 */
import { useEffect, useRef } from "preact/hooks";

export function useFocusOnNavigation<T extends HTMLElement>(place: string) {
  const container = useRef<T>(null);
  const isFirstPlace = useRef(true);
  useEffect(() => {
    if (isFirstPlace.current) {
      isFirstPlace.current = false;
      return;
    }
    container.current?.querySelector<HTMLElement>("h1")?.focus();
  }, [place]);
  return container;
}
