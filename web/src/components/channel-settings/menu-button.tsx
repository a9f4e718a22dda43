/**
 * A "…" button with a menu panel that something else may open too: a right click or
 * Shift+F10 on the row it belongs to (as Discord's channel and category menus). Esc or
 * a click elsewhere closes it, and focus goes back to the button. Like the shell's
 * Popover (shell/popover.tsx), with the open state held by the row.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { Signal } from "@preact/signals";
import { Icon } from "../shell/icons.tsx";

interface MenuButtonProps {
  /** The button's accessible name, and the menu's: "Options for #general". */
  label: string;
  isOpen: Signal<boolean>;
  class?: string;
  children: (close: () => void) => ComponentChildren;
}

/** Right click, Shift+F10 and the context-menu key: what opens a row's menu. */
export function opensMenu(event: KeyboardEvent): boolean {
  return (event.shiftKey && event.key === "F10") || event.key === "ContextMenu";
}

export function MenuButton({ label, isOpen, class: className, children }: MenuButtonProps) {
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);

  const close = (returnsFocus = true) => {
    if (!isOpen.peek()) return;
    isOpen.value = false;
    if (returnsFocus) trigger.current?.focus();
  };

  useEffect(() => {
    if (!isOpen.value) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      event.stopPropagation();
      close();
    };
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) close(false);
    };
    root.current?.querySelector<HTMLElement>(".popover-panel :is(a, button, input, select, textarea)")?.focus();
    const element = root.current;
    element?.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      element?.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [isOpen.value]);

  return (
    <div class={["popover", className].filter(Boolean).join(" ")} ref={root}>
      <button
        ref={trigger}
        type="button"
        class="icon-button is-small"
        aria-label={label}
        title={label}
        aria-expanded={isOpen.value}
        aria-haspopup="dialog"
        onClick={() => (isOpen.value = !isOpen.peek())}
      >
        <Icon name="more" size={16} />
      </button>
      {isOpen.value && (
        <div
          class="popover-panel is-end"
          role="dialog"
          aria-label={label}
          onClick={(event) => (event.target as Element).closest("a") && close(false)}
        >
          {children(() => close())}
        </div>
      )}
    </div>
  );
}
