/** One community: its owner and size, a new owner, or its deletion (confirmed, naming what goes with it). */
import { describedBy, FormError } from "../../../src/components/form-error.tsx";
import { dateTimeInWords } from "../../../src/components/time-words.ts";
import { useFocusOnMount } from "../../../src/components/use-focus-on-mount.ts";
import type { Communities } from "../models/communities-model.ts";
import type { AdminCommunityView } from "../models/admin-views.ts";
import { countInWords, numberInWords } from "./admin-words.ts";
import { ConfirmChange } from "./confirm-change.tsx";
import { Fact } from "./fact.tsx";

interface CommunityDetailProps {
  communities: Communities;
  community: AdminCommunityView;
}

export function CommunityDetail({ communities, community }: CommunityDetailProps) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const { transferring, deleting } = communities;
  const transferError = transferring.error.value;
  const onTransfer = (event: SubmitEvent) => {
    event.preventDefault();
    void communities.transfer(String(new FormData(event.currentTarget as HTMLFormElement).get("owner") ?? ""));
  };
  return (
    <section class="detail" aria-labelledby="community-heading">
      <button type="button" class="link-button back-link" onClick={() => communities.close()}>
        All communities
      </button>
      <h2 id="community-heading" tabIndex={-1} ref={heading}>
        {community.name}
      </h2>
      <dl class="facts">
        <Fact label="Owner" value={community.ownerName} />
        <Fact label="Members" value={numberInWords(community.members)} />
        <Fact label="Channels" value={numberInWords(community.channels)} />
        <Fact label="Created" value={dateTimeInWords(community.createdAt)} />
      </dl>
      <form class="stack" onSubmit={onTransfer} noValidate>
        <h3>Give it a new owner</h3>
        <label for="new-owner">Username of a member</label>
        <div class="field-row">
          <input
            id="new-owner"
            name="owner"
            autoComplete="off"
            maxLength={32}
            aria-describedby={describedBy("new-owner-hint", transferError && "transfer-error")}
            aria-invalid={transferError ? true : undefined}
          />
          <button type="submit" disabled={transferring.isBusy.value}>
            Transfer ownership
          </button>
        </div>
        <span id="new-owner-hint" class="hint">
          {community.ownerName} stays a member but no longer owns it.
        </span>
        <FormError id="transfer-error" error={transferError} />
      </form>
      <h3>Delete the community</h3>
      {communities.isConfirmingDelete.value ? (
        <ConfirmChange
          id="delete-community"
          question={`Delete ${community.name}?`}
          consequence={`Its ${countInWords(community.channels, "channel")} and all their messages are deleted for its ${countInWords(community.members, "member")}, at once. This cannot be undone.`}
          confirmLabel={`Delete ${community.name}`}
          isBusy={deleting.isBusy.value}
          onConfirm={() => void communities.remove()}
          onCancel={() => communities.cancelDelete()}
        />
      ) : (
        <button type="button" class="danger" onClick={() => communities.askDelete()}>
          Delete community…
        </button>
      )}
      <FormError id="delete-community-error" error={deleting.error.value} />
    </section>
  );
}
