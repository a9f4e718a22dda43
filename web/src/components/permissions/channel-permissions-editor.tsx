/**
 * Channel settings > Permissions, as Discord's: the roles and members with an override
 * here, one opened at a time with a three-state switch per permission (deny ✗, inherit ∕,
 * allow ✓), adding a role or member, saving every change at once (the server applies all
 * or none), and a "view as role" preview (view-as-role.tsx). Only what the server would
 * allow is offered: roles below one's highest, members one outranks, permissions one holds.
 */
import { useModel, useSignal } from "@preact/signals";
import { canActOn } from "../../../../protocol/index.ts";
import { ChannelOverridesModel, type ChannelOverrides, type EditedOverride } from "../../models/channel-overrides.ts";
import type { Community } from "../../models/community.ts";
import type { ChannelSettingsProps } from "../channel-settings/channel-settings-page.tsx";
import { FormError } from "../form-error.tsx";
import "../roles/roles.css";
import { OverrideSwitches } from "./override-switches.tsx";
import "./permissions.css";
import { ViewAsRole } from "./view-as-role.tsx";

export function ChannelPermissionsEditor(props: ChannelSettingsProps) {
  const { session, community, communityId, channelId, events } = props;
  const overrides = useModel(() => new ChannelOverridesModel(session, community, events, communityId, channelId));
  const channel = community.channels.value.find((each) => each.id === channelId);
  if (!channel) return null;
  if (!channel.myPermissions.includes("MANAGE_ROLES")) {
    return (
      <p class="placeholder">Only those who may manage roles in #{channel.name} can change who may do what in it.</p>
    );
  }
  const selected = overrides.selected.value;
  const labelOf = labelsFor(community);

  return (
    <div class="channel-permissions">
      <section class="card" aria-labelledby="overrides-heading">
        <h2 id="overrides-heading">Who may do what in #{channel.name}</h2>
        <p class="hint">
          An override here beats what a role allows everywhere: ✓ allows, ✗ denies, ∕ leaves it to the role. A member's
          own override beats their roles'. Make a channel private by denying View channels to @everyone and allowing it
          to the roles that should see it.
        </p>
        {overrides.isLoading.value && <p class="hint">Loading the overrides…</p>}
        <FormError id="overrides-load-error" error={overrides.loadError.value} />
        <div class="overrides-layout">
          <div class="overrides-targets">
            <ul class="overrides-target-list" aria-label="Roles and members with an override">
              {overrides.draft.value.map((override) => (
                <li key={override.key}>
                  <button
                    type="button"
                    class="overrides-target"
                    aria-current={override.key === overrides.selectedKey.value ? "true" : undefined}
                    onClick={() => (overrides.selectedKey.value = override.key)}
                  >
                    {labelOf(override)}
                  </button>
                </li>
              ))}
            </ul>
            <AddTarget overrides={overrides} community={community} ownUserId={session.user.value?.id ?? ""} />
          </div>
          <div class="overrides-detail">
            {selected ? (
              <OverrideSwitches
                overrides={overrides}
                override={selected}
                name={labelOf(selected)}
                channelPermissions={channel.myPermissions}
                canEdit={canEditTarget(community, session.user.value?.id ?? "", selected)}
              />
            ) : (
              <p class="placeholder">Add a role or a member to set what they may do here.</p>
            )}
          </div>
        </div>
        <FormError id="overrides-error" error={overrides.saving.error.value} />
        <div class="button-row role-save-bar">
          {overrides.isDirty.value && <span class="hint">You have unsaved changes.</span>}
          <button type="button" onClick={() => overrides.reset()} disabled={!overrides.isDirty.value}>
            Reset
          </button>
          <button
            type="button"
            class="primary"
            onClick={() => void overrides.save()}
            disabled={!overrides.isDirty.value || overrides.saving.isBusy.value}
          >
            Save changes
          </button>
        </div>
      </section>
      <ViewAsRole overrides={overrides} community={community} channelId={channelId} />
    </div>
  );
}

/** A role's or member's name as the list shows it. */
function labelsFor(community: Community) {
  const roles = community.roles.roles.value;
  const members = community.members.value;
  return (override: Pick<EditedOverride, "roleId" | "userId">) => {
    if (override.roleId) return roles.find((role) => role.id === override.roleId)?.name ?? "a deleted role";
    const member = members.find((each) => each.userId === override.userId);
    return member ? (member.displayName ?? member.username) : "a former member";
  };
}

/** The server's rule: a role below one's highest, a member one outranks (never oneself). */
function canEditTarget(community: Community, viewerId: string, override: Pick<EditedOverride, "roleId" | "userId">) {
  const roles = community.roles;
  if (override.roleId) {
    const role = roles.roles.value.find((each) => each.id === override.roleId);
    return !!role && role.position < roles.myTopPosition.value;
  }
  const ownerId = community.community.value?.ownerId ?? null;
  const rolesOf = (userId: string) => {
    const held = community.members.value.find((member) => member.userId === userId)?.roleIds ?? [];
    return roles.roles.value.filter((role) => held.includes(role.id)).map((role) => ({ ...role, permissions: 0 }));
  };
  return (
    override.userId !== viewerId &&
    canActOn(
      { isOwner: viewerId === ownerId, roles: rolesOf(viewerId) },
      { isOwner: override.userId === ownerId, roles: rolesOf(override.userId!) },
    )
  );
}

function AddTarget({
  overrides,
  community,
  ownUserId,
}: {
  overrides: ChannelOverrides;
  community: Community;
  ownUserId: string;
}) {
  const choice = useSignal("");
  const listed = new Set(overrides.draft.value.map((override) => override.key));
  const roles = community.roles.roles.value.filter(
    (role) => !listed.has(`role:${role.id}`) && canEditTarget(community, ownUserId, { roleId: role.id, userId: null }),
  );
  const members = community.members.value.filter(
    (member) =>
      !listed.has(`member:${member.userId}`) &&
      canEditTarget(community, ownUserId, { roleId: null, userId: member.userId }),
  );
  if (roles.length === 0 && members.length === 0) return null;
  const first = roles[0] ? `role:${roles[0].id}` : `member:${members[0]!.userId}`;
  const isListed = (value: string) =>
    roles.some((role) => `role:${role.id}` === value) || members.some((member) => `member:${member.userId}` === value);
  const value = isListed(choice.value) ? choice.value : first;
  const add = (event: SubmitEvent) => {
    event.preventDefault();
    const [kind, id] = value.split(":") as [string, string];
    overrides.add(kind === "role" ? { roleId: id } : { userId: id });
    choice.value = "";
  };
  return (
    <form class="stack overrides-add" onSubmit={add}>
      <label for="override-add">Add a role or member</label>
      <select id="override-add" value={value} onChange={(event) => (choice.value = event.currentTarget.value)}>
        {roles.length > 0 && (
          <optgroup label="Roles">
            {roles.map((role) => (
              <option key={role.id} value={`role:${role.id}`}>
                {role.name}
              </option>
            ))}
          </optgroup>
        )}
        {members.length > 0 && (
          <optgroup label="Members">
            {members.map((member) => (
              <option key={member.userId} value={`member:${member.userId}`}>
                {member.displayName ?? member.username}
              </option>
            ))}
          </optgroup>
        )}
      </select>
      <button type="submit" class="small">
        Add
      </button>
    </form>
  );
}
