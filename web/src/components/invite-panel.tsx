/**
 * "Invite people": an invite link for the community, made as the panel opens (a week,
 * any number of uses) and offered to copy, with Discord's "link settings" to make one
 * that expires sooner or admits fewer people; the button sits in the sidebar's header.
 */
import { useSignal } from "@preact/signals";
import type { Community } from "../models/community.ts";
import { DEFAULT_INVITE_OPTIONS, inviteRequest } from "../models/community-invites.ts";
import { InviteOptionsFields } from "./community-settings/invite-options-fields.tsx";
import { FormError } from "./form-error.tsx";
import { Icon } from "./shell/icons.tsx";
import { Popover } from "./shell/popover.tsx";
import { dateTimeInWords } from "./time-words.ts";

export function InviteButton({ community }: { community: Community }) {
  return (
    <Popover
      label="Invite people"
      title="Invite people"
      button={<Icon name="personAdd" />}
      buttonClass="icon-button"
      placement="end"
      onOpen={() => {
        if (!community.createdInvite.peek()) void community.createInvite();
      }}
    >
      {(close) => <InviteLink community={community} onDone={close} />}
    </Popover>
  );
}

/** The link just made (or why not), with Copy and Done. */
export function InviteLink({ community, onDone }: { community: Community; onDone: () => void }) {
  const created = community.createdInvite.value;
  const copy = community.inviteCopy.value;
  if (!created) {
    return (
      <div class="invite-panel stack">
        {community.inviting.isBusy.value && <p class="hint">Making an invite link…</p>}
        <FormError id="invite-error" error={community.inviting.error.value} />
        {community.inviting.error.value && (
          <button type="button" onClick={() => void community.createInvite()}>
            Try again
          </button>
        )}
      </div>
    );
  }
  const expiry = created.invite.expiresAt;
  const maxUses = created.invite.maxUses;
  const done = () => {
    community.dismissInvite();
    onDone();
  };

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
        {maxUses ? `${maxUses} ${maxUses === 1 ? "person" : "people"}` : "Anyone"} with this link can join
        {expiry ? ` until ${dateTimeInWords(expiry)}` : ""}.
      </p>
      <div class="button-row">
        <button type="button" class="primary" onClick={() => void community.copyInvite()}>
          Copy link
        </button>
        <button type="button" onClick={done}>
          Done
        </button>
      </div>
      <p class="hint" role="status">
        {copy === "copied" && "Copied to the clipboard."}
        {copy === "refused" && "This browser did not allow copying: select the link and copy it yourself."}
      </p>
      <InviteLinkSettings community={community} />
    </div>
  );
}

/** Another link with other limits: the expiry and the maximum of uses, as the invites section offers. */
function InviteLinkSettings({ community }: { community: Community }) {
  const options = useSignal(DEFAULT_INVITE_OPTIONS);
  return (
    <details class="invite-link-settings">
      <summary>Link settings</summary>
      <form
        class="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void community.createInvite(inviteRequest(options.value));
        }}
      >
        <InviteOptionsFields id="sidebar-invite" options={options.value} onChange={(next) => (options.value = next)} />
        <FormError id="invite-settings-error" error={community.inviting.error.value} />
        <button type="submit" disabled={community.inviting.isBusy.value}>
          Generate a new link
        </button>
      </form>
    </details>
  );
}
