/**
 * An invite's two choices as Discord's "Invite link settings" offers them: how long it
 * works and how many people may use it. Shared by the invites section and the sidebar's
 * "Invite people" panel.
 */
import { INVITE_EXPIRY_MINUTES, INVITE_MAX_USES } from "../../../../protocol/index.ts";
import type { InviteOptions } from "../../models/community-invites.ts";
import { durationInWords } from "./community-audit-words.ts";
import "./community-settings.css";

const MINUTE_MS = 60_000;

export const expiryInWords = (minutes: number | null) =>
  minutes === null ? "Never" : minutes === 30 ? "30 minutes" : durationInWords(minutes * MINUTE_MS);
export const maxUsesInWords = (uses: number | null) =>
  uses === null ? "No limit" : `${uses} ${uses === 1 ? "use" : "uses"}`;

interface InviteOptionsFieldsProps {
  /** Prefix for the fields' ids, unique on the page. */
  id: string;
  options: InviteOptions;
  onChange(options: InviteOptions): void;
}

export function InviteOptionsFields({ id, options, onChange }: InviteOptionsFieldsProps) {
  const numberOrNull = (value: string) => (value === "" ? null : Number(value));
  return (
    <div class="invite-options">
      <div class="invite-option">
        <label for={`${id}-expiry`}>Expire after</label>
        <select
          id={`${id}-expiry`}
          value={options.expiresInMinutes ?? ""}
          onChange={(event) => onChange({ ...options, expiresInMinutes: numberOrNull(event.currentTarget.value) })}
        >
          {INVITE_EXPIRY_MINUTES.map((minutes) => (
            <option key={minutes} value={minutes}>
              {expiryInWords(minutes)}
            </option>
          ))}
          <option value="">{expiryInWords(null)}</option>
        </select>
      </div>
      <div class="invite-option">
        <label for={`${id}-max-uses`}>Max number of uses</label>
        <select
          id={`${id}-max-uses`}
          value={options.maxUses ?? ""}
          onChange={(event) => onChange({ ...options, maxUses: numberOrNull(event.currentTarget.value) })}
        >
          <option value="">{maxUsesInWords(null)}</option>
          {INVITE_MAX_USES.map((uses) => (
            <option key={uses} value={uses}>
              {maxUsesInWords(uses)}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
