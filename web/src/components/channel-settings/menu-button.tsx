/**
 * A "…" button with a menu panel that something else may open too: a right click or
 * Shift+F10 on the row it belongs to (as Discord's channel and category menus). Esc or
 * a click elsewhere closes it, and focus goes back to the button. The shell's
 * Popover (shell/popover.tsx), with the open state held by the row.
 */
import type { ComponentChildren } from "preact";
import type { Signal } from "@preact/signals";
import { Icon } from "../shell/icons.tsx";
import { Popover } from "../shell/popover.tsx";

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
  return (
    <Popover
      label={label}
      title={label}
      isOpen={isOpen}
      class={className}
      placement="end"
      buttonClass="icon-button is-small"
      button={<Icon name="more" size={16} />}
    >
      {children}
    </Popover>
  );
}
