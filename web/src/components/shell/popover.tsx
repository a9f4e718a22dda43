/**
 * A button that opens a small panel beside it (a menu, a form, a card of details),
 * as Discord's header and user-panel menus do: Esc or a click elsewhere closes it and
 * focus goes back to the button. The panel is a labelled dialog, rendered only while open.
 */
import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";
import { useSignal, type Signal } from "@preact/signals";

interface PopoverProps {
  /** The button's accessible name (and the panel's). */
  label: string;
  /** What the button shows: an icon, a name. */
  button: ComponentChildren;
  buttonClass?: string;
  /** Where the panel opens: under the button's left edge, its right edge, or above it. */
  placement?: "start" | "end" | "above";
  class?: string;
  /** Called as the button opens the panel (before it shows). */
  onOpen?: () => void;
  /** A visible title for the button, when its label is not shown. */
  title?: string;
  /** Whether it is open, when something else may open it too (a row's right click). */
  isOpen?: Signal<boolean>;
  children: (close: () => void) => ComponentChildren;
}

export function Popover(props: PopoverProps) {
  const ownIsOpen = useSignal(false);
  const isOpen = props.isOpen ?? ownIsOpen;
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);

  const close = (returnsFocus = true) => {
    if (!isOpen.peek()) return;
    isOpen.value = false;
    if (returnsFocus) trigger.current?.focus();
  };

  // A layout effect: in place before the browser paints the panel, so a key pressed
  // the moment it shows already finds focus inside it (an effect waits for a frame,
  // which a busy or hidden tab may not give for a while).
  useLayoutEffect(() => {
    if (!isOpen.value) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) close(false);
    };
    // Into the panel, as a dialog should: its first control.
    root.current?.querySelector<HTMLElement>(".popover-panel :is(a, button, input, select, textarea)")?.focus();
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [isOpen.value]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Escape" || !isOpen.peek()) return;
    event.stopPropagation();
    close();
  };

  const toggle = () => {
    if (isOpen.peek()) return close();
    props.onOpen?.();
    isOpen.value = true;
  };

  return (
    <div class={["popover", props.class].filter(Boolean).join(" ")} ref={root} onKeyDown={onKeyDown}>
      <button
        ref={trigger}
        type="button"
        class={props.buttonClass}
        aria-label={props.label}
        title={props.title}
        aria-expanded={isOpen.value}
        aria-haspopup="dialog"
        onClick={toggle}
      >
        {props.button}
      </button>
      {isOpen.value && (
        <div
          class={`popover-panel is-${props.placement ?? "start"}`}
          role="dialog"
          aria-label={props.label}
          // A link chosen inside goes somewhere else: the panel has done its job.
          onClick={(event) => (event.target as Element).closest("a") && close(false)}
        >
          {props.children(() => close())}
        </div>
      )}
    </div>
  );
}
