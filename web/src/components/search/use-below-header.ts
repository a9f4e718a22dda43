/**
 * On a phone the results panel covers the screen below the open channel's header,
 * not the header itself, so the search box stays in reach to change the query. The
 * header's bottom edge is measured (a top bar or banner above it moves it) and handed
 * to the stylesheet as `--search-top`, through the CSSOM, which the strict CSP allows.
 */
import { useLayoutEffect, useRef } from "preact/hooks";

export function useBelowHeader<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useLayoutEffect(() => {
    const place = () => {
      const bottom = document.querySelector(".chat-header")?.getBoundingClientRect().bottom ?? 0;
      ref.current?.style.setProperty("--search-top", `${Math.max(0, Math.round(bottom))}px`);
    };
    place();
    const observer = new ResizeObserver(place);
    observer.observe(document.querySelector(".main") ?? document.body);
    addEventListener("resize", place);
    return () => {
      observer.disconnect();
      removeEventListener("resize", place);
    };
  }, []);
  return ref;
}
