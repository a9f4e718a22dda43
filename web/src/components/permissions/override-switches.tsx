/**
 * One role's or member's override in a channel: per permission a radio group of three,
 * deny ✗, inherit ∕ and allow ✓ (Discord's switches), each labelled in words. A switch
 * for a permission the viewer does not hold in the channel cannot be changed, nor any
 * for a role or member the viewer does not outrank (the server refuses both).
 */
import type { PermissionName } from "../../../../protocol/index.ts";
import type { ChannelOverrides, EditedOverride, OverrideState } from "../../models/channel-overrides.ts";
import { CHANNEL_PERMISSIONS, explanationOf, PERMISSION_LABELS } from "../roles/permission-words.ts";

const STATES: { state: OverrideState; mark: string; words: string }[] = [
  { state: "deny", mark: "✗", words: "Deny" },
  { state: "inherit", mark: "∕", words: "Inherit" },
  { state: "allow", mark: "✓", words: "Allow" },
];

interface OverrideSwitchesProps {
  overrides: ChannelOverrides;
  override: EditedOverride;
  name: string;
  /** The viewer's permission names in this channel. */
  channelPermissions: readonly string[];
  canEdit: boolean;
}

export function OverrideSwitches({ overrides, override, name, channelPermissions, canEdit }: OverrideSwitchesProps) {
  return (
    <div class="override-switches">
      <div class="overrides-detail-header">
        <h3>{name}</h3>
        {canEdit && (
          <button type="button" class="small danger" onClick={() => overrides.remove(override.key)}>
            Remove {name}'s override
          </button>
        )}
      </div>
      {!canEdit && <p class="hint">You do not rank above {name}: you can see this override, not change it.</p>}
      <ul class="override-list">
        {CHANNEL_PERMISSIONS.map((permission) => (
          <Switch
            key={permission}
            overrides={overrides}
            override={override}
            permission={permission}
            isLocked={!canEdit || !channelPermissions.includes(permission)}
          />
        ))}
      </ul>
    </div>
  );
}

interface SwitchProps {
  overrides: ChannelOverrides;
  override: EditedOverride;
  permission: PermissionName;
  isLocked: boolean;
}

function Switch({ overrides, override, permission, isLocked }: SwitchProps) {
  const current = overrides.stateOf(override, permission);
  const id = `override-${override.key.replace(":", "-")}-${permission}`;
  return (
    <li class="override-row">
      <span id={`${id}-label`} class="override-name">
        {PERMISSION_LABELS[permission]}
      </span>
      <div class="tri-state" role="radiogroup" aria-labelledby={`${id}-label`} aria-describedby={`${id}-explanation`}>
        {STATES.map(({ state, mark, words }) => (
          <label key={state} class={`tri-state-option is-${state}`} title={words}>
            <input
              type="radio"
              name={id}
              value={state}
              checked={current === state}
              disabled={isLocked}
              onChange={() => overrides.setState(override.key, permission, state)}
            />
            <span aria-hidden="true">{mark}</span>
            <span class="visually-hidden">{words}</span>
          </label>
        ))}
      </div>
      <p id={`${id}-explanation`} class="hint">
        {explanationOf(permission)}
        {isLocked && " You cannot change this one."}
      </p>
    </li>
  );
}
