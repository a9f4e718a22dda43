/**
 * A category's heading in the sidebar. For those who may manage channels, a "…" menu
 * (also on right click and Shift+F10) renames it, moves it up or down, or deletes it
 * after saying its channels stay, under no category; it can be dragged above or below
 * another category, and a channel dropped on it goes first in it.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { CategoryView } from "../../../../protocol/index.ts";
import type { ChannelAdmin } from "../../models/channel-admin.ts";
import { FormError } from "../form-error.tsx";
import { MenuButton, opensMenu } from "./menu-button.tsx";
import { isInLowerHalf, refocus, type SidebarDrag } from "./sidebar-drag.ts";

interface CategoryHeaderProps {
  category: CategoryView;
  /** Its index among the categories. */
  index: number;
  admin: ChannelAdmin | null;
  drag: SidebarDrag;
}

export function CategoryHeader({ category, index, admin, drag }: CategoryHeaderProps) {
  const isMenuOpen = useSignal(false);
  const mode = useSignal<"menu" | "rename" | "delete">("menu");
  const headingId = `category-${category.id}`;
  // Closed, it opens on its list of actions again.
  useEffect(() => {
    if (!isMenuOpen.value) mode.value = "menu";
  }, [isMenuOpen.value]);
  if (!admin) {
    return (
      <h4 id={headingId} class="category-name">
        {category.name}
      </h4>
    );
  }
  const menuButton = `[data-category-id="${category.id}"] .popover > button`;
  const move = async (to: number) => {
    if (await admin.moveCategory(category.id, to)) refocus(menuButton);
  };

  const onDrop = (event: DragEvent) => {
    const moving = drag.dragged.peek();
    drag.hint.value = null;
    if (!moving) return;
    event.preventDefault();
    if (moving.kind === "channel") void admin.moveChannel(moving.id, { categoryId: category.id, index: 0 });
    else if (moving.id !== category.id) void admin.moveCategory(moving.id, index + (isInLowerHalf(event) ? 1 : 0));
  };
  const hint = drag.hint.value;
  const hintClass = hint?.id === category.id ? (hint.isAfter ? "drops-after" : "drops-before") : "";

  return (
    <div
      class={`category-header ${hintClass}`}
      data-category-id={category.id}
      draggable
      onContextMenu={(event) => {
        event.preventDefault();
        isMenuOpen.value = true;
      }}
      onKeyDown={(event) => {
        if (!opensMenu(event)) return;
        event.preventDefault();
        isMenuOpen.value = true;
      }}
      onDragStart={(event) => {
        event.dataTransfer?.setData("text/plain", category.name);
        drag.dragged.value = { kind: "category", id: category.id };
      }}
      onDragEnd={() => {
        drag.dragged.value = null;
        drag.hint.value = null;
      }}
      onDragOver={(event) => {
        if (!drag.dragged.peek()) return;
        event.preventDefault();
        const isAfter = drag.dragged.peek()?.kind === "category" && isInLowerHalf(event);
        if (hint?.id !== category.id || hint.isAfter !== isAfter) drag.hint.value = { id: category.id, isAfter };
      }}
      onDragLeave={() => hint?.id === category.id && (drag.hint.value = null)}
      onDrop={onDrop}
    >
      <h4 id={headingId} class="category-name">
        {category.name}
      </h4>
      <MenuButton label={`Options for the category ${category.name}`} isOpen={isMenuOpen} class="row-actions">
        {(close) =>
          mode.value === "rename" ? (
            <RenameForm category={category} admin={admin} onDone={() => ((mode.value = "menu"), close())} />
          ) : mode.value === "delete" ? (
            <div class="stack" role="group" aria-labelledby={`${headingId}-delete`}>
              <p id={`${headingId}-delete`}>
                Delete the category “{category.name}”? Its channels stay, under no category.
              </p>
              <FormError id={`${headingId}-error`} error={admin.categoryAction.error.value} />
              <div class="inline-field">
                <button
                  type="button"
                  class="danger"
                  disabled={admin.categoryAction.isBusy.value}
                  onClick={async () => {
                    if (await admin.deleteCategory(category.id)) mode.value = "menu";
                  }}
                >
                  Delete category
                </button>
                <button type="button" onClick={() => ((mode.value = "menu"), close())}>
                  Keep it
                </button>
              </div>
            </div>
          ) : (
            <ul class="menu" aria-label={`${category.name} menu`}>
              <li>
                <button
                  type="button"
                  class="menu-item"
                  onClick={() => (admin.categoryAction.reset(), (mode.value = "rename"))}
                >
                  Rename category
                </button>
              </li>
              <li>
                <button
                  type="button"
                  class="menu-item"
                  onClick={() => (close(), void move(index - 1))}
                  disabled={index === 0}
                >
                  Move up
                </button>
              </li>
              <li>
                <button type="button" class="menu-item" onClick={() => (close(), void move(index + 1))}>
                  Move down
                </button>
              </li>
              <li>
                <button
                  type="button"
                  class="menu-item is-danger"
                  onClick={() => (admin.categoryAction.reset(), (mode.value = "delete"))}
                >
                  Delete category
                </button>
              </li>
            </ul>
          )
        }
      </MenuButton>
    </div>
  );
}

function RenameForm({ category, admin, onDone }: { category: CategoryView; admin: ChannelAdmin; onDone(): void }) {
  const inputId = `rename-${category.id}`;
  const error = admin.categoryAction.error.value;
  return (
    <form
      class="stack"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        const name = String(new FormData(event.currentTarget).get("name") ?? "");
        if (await admin.renameCategory(category.id, name)) onDone();
      }}
    >
      <label for={inputId}>Category name</label>
      <input
        id={inputId}
        name="name"
        defaultValue={category.name}
        maxLength={64}
        aria-invalid={error ? true : undefined}
      />
      <FormError id={`${inputId}-error`} error={error} />
      <button type="submit" class="primary" disabled={admin.categoryAction.isBusy.value}>
        Save name
      </button>
    </form>
  );
}
