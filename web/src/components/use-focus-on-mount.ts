/**
 * Moves keyboard focus to an element when it appears: a form step that replaces
 * another would otherwise leave focus on nothing. (The autofocus attribute only
 * works once per page load.)
 */
import { useEffect, useRef } from "preact/hooks";

export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}
