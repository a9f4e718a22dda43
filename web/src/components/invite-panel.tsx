/** "Invite people": creates an invite link for the community and offers it to copy. */
import type { Community } from "../models/community.ts";
import { FormError } from "./form-error.tsx";
import { dateTimeInWords } from "./time-words.ts";

export function InvitePanel({ community }: { community: Community }) {
  const created = community.createdInvite.value;
  const copy = community.inviteCopy.value;
  if (!created) {
    return (
      <div class="invite-panel">
        <button type="button" onClick={() => void community.createInvite()} disabled={community.inviting.isBusy.value}>
          Invite people
        </button>
        <FormError id="invite-error" error={community.inviting.error.value} />
      </div>
    );
  }
  const expiry = created.invite.expiresAt;

  return (
    <div class="invite-panel stack">
      <label for="invite-link">Invite link</label>
      <input
        id="invite-link"
        readOnly
        value={created.link}
        aria-describedby="invite-link-hint"
        onFocus={(event) => event.currentTarget.select()}
      />
      <p id="invite-link-hint" class="hint">
        Anyone with this link can join{expiry ? ` until ${dateTimeInWords(expiry)}` : ""}.
      </p>
      <div class="button-row">
        <button type="button" class="primary" onClick={() => void community.copyInvite()}>
          Copy link
        </button>
        <button type="button" onClick={() => community.dismissInvite()}>
          Done
        </button>
      </div>
      <p class="hint" role="status">
        {copy === "copied" && "Copied to the clipboard."}
        {copy === "refused" && "This browser did not allow copying: select the link and copy it yourself."}
      </p>
    </div>
  );
}
