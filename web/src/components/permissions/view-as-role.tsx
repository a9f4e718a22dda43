/**
 * "View as role": pick a role and see which of the community's channels it can view and
 * what it may do in this one, worked out in the browser with the same function the
 * server uses (protocol/permissions.ts's channelPermissions), this channel's unsaved
 * changes included. Channels the viewer cannot see are not listed.
 */
import { has, Permission } from "../../../../protocol/index.ts";
import { canView, type ChannelOverrides } from "../../models/channel-overrides.ts";
import type { Community } from "../../models/community.ts";
import { CHANNEL_PERMISSIONS, PERMISSION_LABELS } from "../roles/permission-words.ts";

interface ViewAsRoleProps {
  overrides: ChannelOverrides;
  community: Community;
  channelId: string;
}

export function ViewAsRole({ overrides, community, channelId }: ViewAsRoleProps) {
  const roles = community.roles.roles.value;
  const preview = overrides.preview.value;
  const role = roles.find((each) => each.id === overrides.previewRoleId.value);
  const here = preview?.find((entry) => entry.channel.id === channelId);

  return (
    <section class="card view-as-role" aria-labelledby="view-as-heading">
      <h2 id="view-as-heading">View as role</h2>
      <label for="view-as-role">Role</label>
      <select
        id="view-as-role"
        value={overrides.previewRoleId.value ?? ""}
        onChange={(event) => (overrides.previewRoleId.value = event.currentTarget.value || null)}
      >
        <option value="">Choose a role…</option>
        {roles.map((each) => (
          <option key={each.id} value={each.id}>
            {each.name}
          </option>
        ))}
      </select>
      {role && preview && here && (
        <div class="view-as-result" aria-live="polite">
          <div>
            <h3>
              In #{here.channel.name}, {role.name} may
            </h3>
            <ul class="view-as-actions" aria-label={`What ${role.name} may do in #${here.channel.name}`}>
              {CHANNEL_PERMISSIONS.map((permission) => {
                const isAllowed = has(here.permissions, Permission[permission]);
                return (
                  <li key={permission} class={isAllowed ? "is-allowed" : "is-denied"}>
                    <span aria-hidden="true">{isAllowed ? "✓" : "✗"}</span> {PERMISSION_LABELS[permission]}
                    <span class="visually-hidden">{isAllowed ? ": allowed" : ": not allowed"}</span>
                  </li>
                );
              })}
            </ul>
          </div>
          <div>
            <h3>Channels {role.name} can see</h3>
            <ul class="view-as-channels" aria-label={`Channels as ${role.name} sees them`}>
              {preview.map(({ channel, permissions }) => (
                <li key={channel.id} class={canView(permissions) ? "is-allowed" : "is-denied"}>
                  #{channel.name} — {canView(permissions) ? "visible" : "hidden"}
                </li>
              ))}
            </ul>
          </div>
          <p class="hint">Owners, administrators and members' own overrides can see more than the role alone.</p>
        </div>
      )}
    </section>
  );
}
