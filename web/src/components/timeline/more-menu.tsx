/** The "More" menu of a message's toolbar: a short list of rarely needed actions, a menu with arrow keys. */
import { useLayoutEffect, type MutableRef } from "preact/hooks";
import { usePopover } from "./use-popover.ts";

interface MoreMenuProps {
  items: readonly { label: string; run(): void }[];
  anchor: MutableRef<HTMLElement | null>;
  onClose(): void;
}

export function MoreMenu({ items, anchor, onClose }: MoreMenuProps) {
  const menu = usePopover<HTMLDivElement>(anchor, onClose);
  useLayoutEffect(() => menu.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus(), []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const buttons = [...(menu.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLElement);
    const step = event.key === "ArrowDown" ? 1 : -1;
    buttons[(index + step + buttons.length) % buttons.length]?.focus();
  };

  return (
    <div class="more-menu" popover="manual" role="menu" aria-label="More actions" ref={menu} onKeyDown={onKeyDown}>
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          onClick={() => {
            onClose();
            item.run();
          }}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
