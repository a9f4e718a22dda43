/**
 * One role's editor, as Discord's: its name, colour (swatches or any colour), whether
 * its members show apart in the member list, each permission as a switch with what it
 * allows, and deleting it (confirmed, saying what happens). A role at or above the
 * viewer's highest is shown read-only; @everyone keeps its name and has no colour.
 * A permission the viewer lacks cannot be turned on. The server decides again.
 */
import type { PermissionName, RoleView } from "../../../../protocol/index.ts";
import type { RoleEditor } from "../../models/role-editor.ts";
import { colourCss, colourNumber, type Roles } from "../../models/roles.ts";
import { FormError } from "../form-error.tsx";
import { explanationOf, PERMISSION_GROUPS, PERMISSION_LABELS, ROLE_SWATCHES } from "./permission-words.ts";

interface RoleEditorFormProps {
  roles: Roles;
  editor: RoleEditor;
  role: RoleView;
  memberCount: number;
}

export function RoleEditorForm({ roles, editor, role, memberCount }: RoleEditorFormProps) {
  const draft = editor.draft.value;
  if (!draft) return null;
  const canEdit = roles.canEdit(role);
  const isBusy = roles.changing.isBusy.value;
  const headingId = "role-editor-heading";
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    void editor.save();
  };

  return (
    <section class="card role-editor" aria-labelledby={headingId}>
      <h2 id={headingId}>Edit role — {role.name}</h2>
      {!canEdit && (
        <p class="hint">
          {roles.canManageRoles.value
            ? "This role is at or above your highest role: you can see it, not change it."
            : "You may not manage roles: you can see this role, not change it."}
        </p>
      )}
      <form onSubmit={onSubmit} noValidate>
        <fieldset class="stack role-fields" disabled={!canEdit}>
          <legend class="visually-hidden">{role.name}</legend>
          <label for="role-name">Role name</label>
          <input
            id="role-name"
            value={draft.name}
            maxLength={64}
            disabled={role.isEveryone}
            onInput={(event) => editor.setName(event.currentTarget.value)}
          />
          {!role.isEveryone && <ColourChoice editor={editor} color={draft.color} />}
          {!role.isEveryone && (
            <label class="checkbox">
              Display members separately from online members
              <input
                type="checkbox"
                role="switch"
                checked={draft.hoist}
                onChange={(event) => editor.setHoist(event.currentTarget.checked)}
              />
            </label>
          )}
          <h3>Permissions</h3>
          {PERMISSION_GROUPS.map((group) => (
            <fieldset key={group.title} class="permission-group">
              <legend>{group.title}</legend>
              {group.names.map((name) => (
                <PermissionSwitch
                  key={name}
                  name={name}
                  isOn={draft.permissions.includes(name)}
                  canTurnOn={roles.canGrant(name)}
                  onChange={(isOn) => editor.setPermission(name, isOn)}
                />
              ))}
            </fieldset>
          ))}
          <FormError id="role-editor-error" error={roles.changing.error.value} />
          <div class="button-row role-save-bar">
            {editor.isDirty.value && <span class="hint">You have unsaved changes.</span>}
            <button type="button" onClick={() => editor.reset()} disabled={!editor.isDirty.value || isBusy}>
              Reset
            </button>
            <button type="submit" class="primary" disabled={!editor.isDirty.value || isBusy}>
              Save changes
            </button>
          </div>
        </fieldset>
      </form>
      {canEdit && !role.isEveryone && <DeleteRole editor={editor} role={role} memberCount={memberCount} />}
    </section>
  );
}

function ColourChoice({ editor, color }: { editor: RoleEditor; color: number | null }) {
  const isCustom = color !== null && !ROLE_SWATCHES.some((swatch) => swatch.color === color);
  return (
    <fieldset class="role-colours">
      <legend>Role colour</legend>
      <div class="role-swatches">
        <label class="role-swatch is-none" title="No colour">
          <input type="radio" name="role-colour" checked={color === null} onChange={() => editor.setColor(null)} />
          <span class="visually-hidden">No colour</span>
        </label>
        {ROLE_SWATCHES.map((swatch) => (
          <label
            key={swatch.color}
            class="role-swatch"
            title={swatch.name}
            style={{ background: colourCss(swatch.color) }}
          >
            <input
              type="radio"
              name="role-colour"
              checked={color === swatch.color}
              onChange={() => editor.setColor(swatch.color)}
            />
            <span class="visually-hidden">{swatch.name}</span>
          </label>
        ))}
        <label class={`role-swatch is-custom${isCustom ? " is-chosen" : ""}`} title="Custom colour">
          <span class="visually-hidden">Custom colour</span>
          <input
            type="color"
            value={colourCss(color ?? 0x99aab5)}
            onInput={(event) => editor.setColor(colourNumber(event.currentTarget.value))}
          />
        </label>
      </div>
    </fieldset>
  );
}

interface PermissionSwitchProps {
  name: PermissionName;
  isOn: boolean;
  canTurnOn: boolean;
  onChange: (isOn: boolean) => void;
}

function PermissionSwitch({ name, isOn, canTurnOn, onChange }: PermissionSwitchProps) {
  const id = `permission-${name}`;
  return (
    <div class="permission-switch">
      <label for={id}>{PERMISSION_LABELS[name]}</label>
      <input
        id={id}
        type="checkbox"
        role="switch"
        checked={isOn}
        disabled={!isOn && !canTurnOn}
        aria-describedby={`${id}-explanation`}
        onChange={(event) => onChange(event.currentTarget.checked)}
      />
      <p id={`${id}-explanation`} class="hint">
        {explanationOf(name)}
        {!isOn && !canTurnOn && " You do not hold it, so you cannot give it."}
      </p>
    </div>
  );
}

function DeleteRole({ editor, role, memberCount }: { editor: RoleEditor; role: RoleView; memberCount: number }) {
  if (!editor.isConfirmingDelete.value) {
    return (
      <div class="button-row">
        <button type="button" class="danger" onClick={() => (editor.isConfirmingDelete.value = true)}>
          Delete role
        </button>
      </div>
    );
  }
  const who = memberCount === 1 ? "Its 1 member loses" : `Its ${memberCount} members lose`;
  return (
    <div
      class="settings-confirmation"
      role="group"
      aria-label={`Delete ${role.name}`}
      data-closes-on-escape
      onKeyDown={(event) => event.key === "Escape" && (editor.isConfirmingDelete.value = false)}
    >
      <p>
        Delete the role {role.name}? {who} it, with its colour and permissions. This cannot be undone.
      </p>
      <div class="button-row">
        <button type="button" class="danger" autoFocus onClick={() => void editor.remove()}>
          Delete {role.name}
        </button>
        <button type="button" onClick={() => (editor.isConfirmingDelete.value = false)}>
          Keep it
        </button>
      </div>
    </div>
  );
}
