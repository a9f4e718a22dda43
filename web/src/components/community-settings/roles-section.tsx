/**
 * Community settings > Roles, as Discord's: the roles in hierarchy order (most senior
 * first, @everyone last), reordered by dragging or from the keyboard (the move buttons,
 * or Alt+↑/↓ on a role), each opening its editor (roles/role-editor-form.tsx). Only
 * roles below the viewer's highest can be moved or opened for change; the others are
 * listed with the reason.
 */
import { useModel } from "@preact/signals";
import type { RoleView } from "../../../../protocol/index.ts";
import { RoleEditorModel, type RoleEditor } from "../../models/role-editor.ts";
import { colourCss, type Roles } from "../../models/roles.ts";
import { FormError } from "../form-error.tsx";
import { RoleEditorForm } from "../roles/role-editor-form.tsx";
import "../roles/roles.css";
import type { CommunitySettingsProps } from "./community-settings-page.tsx";

export function RolesSection({ community }: CommunitySettingsProps) {
  const roles = community.roles;
  const editor = useModel(() => new RoleEditorModel(roles));
  const list = roles.roles.value;
  const members = community.members.value;
  const selected = editor.selected.value;
  const memberCount = (role: RoleView) =>
    role.isEveryone ? members.length : members.filter((member) => member.roleIds.includes(role.id)).length;

  return (
    <div class="roles-layout">
      <section class="card roles-list-card" aria-labelledby="roles-list-heading">
        <div class="roles-list-header">
          <h2 id="roles-list-heading">Roles — {list.length}</h2>
          <button
            type="button"
            class="primary small"
            onClick={() => void editor.create()}
            disabled={roles.changing.isBusy.value}
          >
            Create role
          </button>
        </div>
        <p class="hint" id="roles-order-hint">
          Members show the colour of their highest coloured role. Drag a role, or press Alt+↑ or Alt+↓ on it, to change
          the order; you can move and edit only roles below your own highest role.
        </p>
        {!selected && <FormError id="roles-error" error={roles.changing.error.value ?? roles.loadError.value} />}
        <ol class="roles-list" aria-label="Roles, most senior first">
          {list.map((role, index) => (
            <RoleRow
              key={role.id}
              role={role}
              roles={roles}
              editor={editor}
              memberCount={memberCount(role)}
              isFirst={index === 0}
              isLastMovable={index === list.length - 2}
            />
          ))}
        </ol>
      </section>
      {selected && <RoleEditorForm roles={roles} editor={editor} role={selected} memberCount={memberCount(selected)} />}
    </div>
  );
}

interface RoleRowProps {
  role: RoleView;
  roles: Roles;
  editor: RoleEditor;
  memberCount: number;
  isFirst: boolean;
  isLastMovable: boolean;
}

function RoleRow({ role, roles, editor, memberCount, isFirst, isLastMovable }: RoleRowProps) {
  const canEdit = roles.canEdit(role);
  // The role just above must be movable too, or moving up would pass a role one may not touch.
  const list = roles.roles.value;
  const above = list[list.indexOf(role) - 1];
  const canMove = canEdit && !role.isEveryone;
  const canMoveUp = canMove && !isFirst && !!above && roles.canEdit(above);
  const canMoveDown = canMove && !isLastMovable;
  const isOpen = editor.selectedId.value === role.id;
  const onKeyDown = (event: KeyboardEvent) => {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    event.preventDefault();
    if (event.key === "ArrowUp" ? canMoveUp : canMoveDown) void move(event.key === "ArrowUp" ? -1 : 1);
  };
  // Reordering moves the row's element, which loses focus: it is given back.
  const move = async (step: -1 | 1, fromButton = false) => {
    await roles.move(role.id, step);
    // After the list has been drawn again: the same control, or the role's name when it is now disabled.
    requestAnimationFrame(() => {
      const name = document.querySelector<HTMLButtonElement>(`[data-role-id="${role.id}"]`);
      const label = `Move ${role.name} ${step < 0 ? "up" : "down"}`;
      const button = name?.closest("li")?.querySelector<HTMLButtonElement>(`[aria-label="${CSS.escape(label)}"]`);
      (fromButton && button && !button.disabled ? button : name)?.focus();
    });
  };

  return (
    <li
      class={`role-row${isOpen ? " is-open" : ""}${editor.draggedId.value === role.id ? " is-dragged" : ""}`}
      draggable={canMove}
      onDragStart={(event) => {
        editor.draggedId.value = role.id;
        event.dataTransfer?.setData("text/plain", role.name);
      }}
      onDragEnd={() => (editor.draggedId.value = null)}
      onDragOver={(event) => canMove && editor.draggedId.value && event.preventDefault()}
      onDrop={(event) => {
        event.preventDefault();
        if (canMove) void editor.drop(role.id);
      }}
    >
      {canMove && (
        <span class="role-grip" aria-hidden="true" title="Drag to move">
          ⋮⋮
        </span>
      )}
      <span
        class="role-dot"
        aria-hidden="true"
        style={{ background: role.color === null ? "" : colourCss(role.color) }}
      />
      <button
        type="button"
        class="role-open link-button"
        aria-current={isOpen ? "true" : undefined}
        aria-describedby="roles-order-hint"
        data-role-id={role.id}
        onClick={() => editor.open(role.id)}
        onKeyDown={onKeyDown}
      >
        {role.name}
      </button>
      <span class="hint role-count">
        {memberCount} {memberCount === 1 ? "member" : "members"}
      </span>
      {!canEdit && (
        <span class="tag">{role.isEveryone || !roles.canManageRoles.value ? "view only" : "above you"}</span>
      )}
      {canMove && (
        <span class="role-move">
          <button
            type="button"
            class="icon-button small"
            aria-label={`Move ${role.name} up`}
            title={`Move ${role.name} up`}
            disabled={!canMoveUp || roles.changing.isBusy.value}
            onClick={() => void move(-1, true)}
          >
            ↑
          </button>
          <button
            type="button"
            class="icon-button small"
            aria-label={`Move ${role.name} down`}
            title={`Move ${role.name} down`}
            disabled={!canMoveDown || roles.changing.isBusy.value}
            onClick={() => void move(1, true)}
          >
            ↓
          </button>
        </span>
      )}
    </li>
  );
}
