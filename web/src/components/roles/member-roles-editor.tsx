/**
 * A member's roles in a community, with adding and removing those the viewer may
 * manage: shown in the profile card and the members section. A role can be given or
 * taken by someone with MANAGE_ROLES who ranks above both the role and the member
 * (and holds the role's permissions to give it); the server decides again, and its
 * refusal is shown in words.
 */
import { useSignal } from "@preact/signals";
import { canActOn } from "../../../../protocol/index.ts";
import type { Community } from "../../models/community.ts";
import { colourCss, rolesOfMember } from "../../models/roles.ts";
import type { Session } from "../../models/session.ts";
import { FormError } from "../form-error.tsx";
import "./roles.css";

export interface MemberRolesEditorProps {
  session: Session;
  community: Community;
  userId: string;
}

export function MemberRolesEditor({ session, community, userId }: MemberRolesEditorProps) {
  const roles = community.roles;
  const choice = useSignal("");
  const error = useSignal<string | null>(null);
  const member = community.members.value.find((each) => each.userId === userId);
  if (!member) return null;
  const all = roles.roles.value;
  const held = rolesOfMember(all, member);
  const viewerId = session.user.value?.id ?? "";
  const ownerId = community.community.value?.ownerId ?? null;
  const viewer = community.members.value.find((each) => each.userId === viewerId);
  const rolesOf = (roleIds: readonly string[]) =>
    all.filter((role) => roleIds.includes(role.id)).map((role) => ({ ...role, permissions: 0 }));
  // The same hierarchy rule as the server's: never oneself, never the owner, only those ranked below.
  const isAbove =
    viewerId !== userId &&
    canActOn(
      { isOwner: viewerId === ownerId, roles: rolesOf(viewer?.roleIds ?? []) },
      { isOwner: userId === ownerId, roles: rolesOf(member.roleIds) },
    );
  const canChange = (role: (typeof all)[number]) => isAbove && roles.canAssign(role);
  const addable = all.filter((role) => !role.isEveryone && !member.roleIds.includes(role.id) && canChange(role));
  const name = member.displayName ?? member.username;
  const selectedId = addable.some((role) => role.id === choice.value) ? choice.value : (addable[0]?.id ?? "");
  const errorId = `member-roles-error-${userId}`;

  const run = async (work: () => Promise<boolean>) => {
    error.value = null;
    if (!(await work())) error.value = roles.changing.error.peek();
  };
  const add = (event: SubmitEvent) => {
    event.preventDefault();
    const roleId = selectedId;
    if (!roleId) return;
    choice.value = "";
    void run(() => roles.assign(userId, roleId));
  };

  return (
    <div class="member-roles">
      <ul class="member-role-list" aria-label={`Roles of ${name}`}>
        {held.length === 0 && <li class="hint">No roles</li>}
        {held.map((role) => (
          <li key={role.id} class="member-role">
            <span
              class="role-dot"
              aria-hidden="true"
              style={{ background: role.color === null ? "" : colourCss(role.color) }}
            />
            {role.name}
            {canChange(role) && (
              <button
                type="button"
                class="icon-button small member-role-remove"
                aria-label={`Remove ${role.name} from ${name}`}
                title={`Remove ${role.name} from ${name}`}
                disabled={roles.changing.isBusy.value}
                onClick={() => void run(() => roles.unassign(userId, role.id))}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {addable.length > 0 && (
        <form class="member-role-add" onSubmit={add}>
          <label for={`add-role-${userId}`} class="visually-hidden">
            Role to give {name}
          </label>
          <select
            id={`add-role-${userId}`}
            value={selectedId}
            onChange={(event) => (choice.value = event.currentTarget.value)}
          >
            {addable.map((role) => (
              <option key={role.id} value={role.id}>
                {role.name}
              </option>
            ))}
          </select>
          <button type="submit" class="small" disabled={roles.changing.isBusy.value}>
            Add role<span class="visually-hidden"> to {name}</span>
          </button>
        </form>
      )}
      <FormError id={errorId} error={error.value} />
    </div>
  );
}
