/**
 * Community settings > Invites: make an invite link with an expiry and a maximum of
 * uses (those who may create invites), copy it, and, for those who manage the
 * community, the list of its invites (who made each, uses, expiry) with revoking,
 * confirmed naming the invite.
 */
import { useModel, useSignal } from "@preact/signals";
import type { CommunityInviteView } from "../../../../protocol/index.ts";
import {
  CommunityInvitesModel,
  DEFAULT_INVITE_OPTIONS,
  type CommunityInvites,
} from "../../models/community-invites.ts";
import type { Community } from "../../models/community.ts";
import { FormError } from "../form-error.tsx";
import { dateTimeInWords } from "../time-words.ts";
import type { OwnSectionProps } from "./community-settings-page.tsx";
import { InviteOptionsFields } from "./invite-options-fields.tsx";
import { Confirmation } from "./ownership-cards.tsx";

export function InvitesSection({ session, communityId, community, settings }: OwnSectionProps) {
  const canList = settings.canManage.value;
  const invites = useModel(() => new CommunityInvitesModel(session, communityId, canList));
  return (
    <>
      <CreateInviteCard invites={invites} />
      {canList ? (
        <InviteListCard invites={invites} community={community} />
      ) : (
        <p class="hint">Only those who may manage the community can see and revoke its invites.</p>
      )}
    </>
  );
}

function CreateInviteCard({ invites }: { invites: CommunityInvites }) {
  const options = useSignal(DEFAULT_INVITE_OPTIONS);
  const made = invites.made.value;
  const copy = invites.copy.value;
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    await invites.create(options.value);
  };
  return (
    <section class="card" aria-labelledby="create-invite-heading">
      <h2 id="create-invite-heading">Create an invite</h2>
      <form class="stack" onSubmit={(event) => void onSubmit(event)} noValidate>
        <InviteOptionsFields id="new-invite" options={options.value} onChange={(next) => (options.value = next)} />
        <FormError id="create-invite-error" error={invites.creating.error.value} />
        <div class="button-row">
          <button type="submit" class="primary" disabled={invites.creating.isBusy.value}>
            Create invite link
          </button>
        </div>
      </form>
      {made && (
        <div class="stack invite-made">
          <label for="made-invite-link">New invite link</label>
          <div class="invite-link-row">
            <input
              id="made-invite-link"
              readOnly
              value={made.link}
              aria-describedby="made-invite-hint"
              onFocus={(event) => event.currentTarget.select()}
            />
            <button type="button" class="primary" onClick={() => void invites.copyLink()}>
              Copy link
            </button>
          </div>
          <p id="made-invite-hint" class="hint">
            {inviteLimitsInWords(made.invite)}
          </p>
          <p class="hint" role="status">
            {copy === "copied" && "Copied to the clipboard."}
            {copy === "refused" && "This browser did not allow copying: select the link and copy it yourself."}
          </p>
        </div>
      )}
    </section>
  );
}

/** "Anyone with this link can join 1 time, until 8 December at 15:02." */
function inviteLimitsInWords(invite: CommunityInviteView): string {
  const uses = invite.maxUses
    ? `${invite.maxUses} ${invite.maxUses === 1 ? "person" : "people"} can join`
    : "Anyone can join";
  return `${uses} with this link${invite.expiresAt ? ` until ${dateTimeInWords(invite.expiresAt)}` : ", with no end date"}.`;
}

function InviteListCard({ invites, community }: { invites: CommunityInvites; community: Community }) {
  const confirming = useSignal<string | null>(null);
  const now = Date.now();
  const isUsable = (invite: CommunityInviteView) =>
    !invite.revokedAt &&
    (!invite.expiresAt || Date.parse(invite.expiresAt) > now) &&
    (invite.maxUses === null || invite.uses < invite.maxUses);
  const usable = invites.invites.value.filter(isUsable);
  const creatorName = (userId: string | null) => {
    const member = community.members.value.find((each) => each.userId === userId);
    return member ? member.displayName || member.username : "a former member";
  };

  return (
    <section class="card" aria-labelledby="invite-list-heading">
      <h2 id="invite-list-heading">Active invites</h2>
      {invites.loadError.value && <FormError id="invite-list-error" error={invites.loadError.value} />}
      {invites.isLoading.value ? (
        <p class="hint">Loading the invites…</p>
      ) : usable.length === 0 ? (
        <p class="hint">No invite links work right now.</p>
      ) : (
        <ul class="invite-list" aria-label="Active invites">
          {usable.map((invite) => {
            const label = `the invite by ${creatorName(invite.createdBy)} made ${dateTimeInWords(invite.createdAt)}`;
            return (
              <li key={invite.id} class="invite-item">
                <div class="invite-facts">
                  <span class="invite-creator">{creatorName(invite.createdBy)}</span>
                  <span>{`Uses: ${invite.uses}${invite.maxUses ? ` of ${invite.maxUses}` : ""}`}</span>
                  <span>{invite.expiresAt ? `Expires ${dateTimeInWords(invite.expiresAt)}` : "Never expires"}</span>
                </div>
                {confirming.value === invite.id ? (
                  <Confirmation
                    label="Confirm revoking"
                    question={`Revoke ${label}? Its link stops working for everyone at once.`}
                    confirmLabel="Revoke invite"
                    isBusy={invites.revoking.isBusy.value}
                    onConfirm={() =>
                      void invites.revoke(invite.id).then((isDone) => isDone && (confirming.value = null))
                    }
                    onCancel={() => (confirming.value = null)}
                  />
                ) : (
                  <button
                    type="button"
                    class="small"
                    aria-label={`Revoke ${label}`}
                    onClick={() => (confirming.value = invite.id)}
                  >
                    Revoke
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <FormError id="revoke-invite-error" error={invites.revoking.error.value} />
    </section>
  );
}
