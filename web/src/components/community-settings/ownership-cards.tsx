/**
 * The overview's cards about one's place in the community, each confirmed in words
 * naming what will happen: the owner hands it to another member or deletes it (typing
 * its name), everyone else leaves it. The server refuses the owner leaving.
 */
import { useSignal } from "@preact/signals";
import { FormError } from "../form-error.tsx";
import { useFocusOnMount } from "../use-focus-on-mount.ts";
import type { OwnSectionProps } from "./community-settings-page.tsx";

const nameOf = (member: { displayName: string | null; username: string }) => member.displayName || member.username;

export function TransferOwnershipCard({ community, settings, session }: OwnSectionProps) {
  const chosen = useSignal("");
  const isConfirming = useSignal(false);
  const { transferring } = settings;
  const ownId = session.user.value?.id;
  const candidates = community.members.value
    .filter((member) => member.userId !== ownId)
    .sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  const newOwner = candidates.find((member) => member.userId === chosen.value);
  const communityName = community.community.value?.name ?? "the community";

  const transfer = async () => {
    if (await settings.transfer(chosen.value)) {
      isConfirming.value = false;
      chosen.value = "";
    }
  };

  return (
    <section class="card" aria-labelledby="transfer-heading">
      <h2 id="transfer-heading">Transfer ownership</h2>
      <p class="hint">
        The new owner may do everything, including deleting the community. You keep only your roles' permissions.
      </p>
      {candidates.length === 0 ? (
        <p>There is nobody else in the community to hand it to yet.</p>
      ) : (
        <div class="stack">
          <label for="transfer-member">New owner</label>
          <select
            id="transfer-member"
            value={chosen.value}
            onChange={(event) => {
              chosen.value = event.currentTarget.value;
              isConfirming.value = false;
              transferring.reset();
            }}
          >
            <option value="">Choose a member</option>
            {candidates.map((member) => (
              <option key={member.userId} value={member.userId}>
                {member.displayName ? `${member.displayName} (${member.username})` : member.username}
              </option>
            ))}
          </select>
          {isConfirming.value && newOwner ? (
            <Confirmation
              label="Confirm the transfer"
              question={`Make ${nameOf(newOwner)} the owner of ${communityName}? You cannot take it back yourself.`}
              confirmLabel={`Transfer to ${nameOf(newOwner)}`}
              isBusy={transferring.isBusy.value}
              onConfirm={() => void transfer()}
              onCancel={() => (isConfirming.value = false)}
            />
          ) : (
            <div class="button-row">
              <button
                type="button"
                onClick={() =>
                  newOwner ? (isConfirming.value = true) : transferring.fail("choose the new owner first")
                }
              >
                Transfer ownership
              </button>
            </div>
          )}
          <FormError id="transfer-error" error={transferring.error.value} />
        </div>
      )}
    </section>
  );
}

export function DeleteCommunityCard({ community, settings }: OwnSectionProps) {
  const typed = useSignal("");
  const { deleting } = settings;
  const name = community.community.value?.name ?? "";
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    await settings.remove(typed.value);
  };
  return (
    <section class="card danger-zone" aria-labelledby="delete-community-heading">
      <h2 id="delete-community-heading">Delete community</h2>
      <p>Deleting {name} removes its channels and every message in them, for everyone, at once. It cannot be undone.</p>
      <form class="stack" onSubmit={(event) => void onSubmit(event)} noValidate>
        <label for="delete-community-name">Type {name} to confirm</label>
        <input
          id="delete-community-name"
          value={typed.value}
          autoComplete="off"
          aria-describedby={deleting.error.value ? "delete-community-error" : undefined}
          onInput={(event) => {
            typed.value = event.currentTarget.value;
            deleting.reset();
          }}
        />
        <FormError id="delete-community-error" error={deleting.error.value} />
        <div class="button-row">
          <button type="submit" class="danger" disabled={deleting.isBusy.value}>
            Delete {name}
          </button>
        </div>
      </form>
    </section>
  );
}

export function LeaveCommunityCard({ community, settings }: OwnSectionProps) {
  const isConfirming = useSignal(false);
  const { leaving } = settings;
  const name = community.community.value?.name ?? "the community";
  return (
    <section class="card" aria-labelledby="leave-community-heading">
      <h2 id="leave-community-heading">Leave community</h2>
      <p class="hint">You stop seeing its channels at once; coming back takes a new invite.</p>
      {isConfirming.value ? (
        <Confirmation
          label="Confirm leaving"
          question={`Leave ${name}? You will need a new invite to come back.`}
          confirmLabel={`Leave ${name}`}
          isBusy={leaving.isBusy.value}
          onConfirm={() => void settings.leave()}
          onCancel={() => (isConfirming.value = false)}
        />
      ) : (
        <div class="button-row">
          <button type="button" class="danger" onClick={() => (isConfirming.value = true)}>
            Leave community
          </button>
        </div>
      )}
      <FormError id="leave-community-error" error={leaving.error.value} />
    </section>
  );
}

interface ConfirmationProps {
  label: string;
  question: string;
  confirmLabel: string;
  isBusy: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/** "Are you sure?" in place: the confirming button takes focus; Esc or Cancel steps back. */
export function Confirmation(props: ConfirmationProps) {
  const confirm = useFocusOnMount<HTMLButtonElement>();
  return (
    <div
      class="settings-confirmation"
      role="group"
      aria-label={props.label}
      data-closes-on-escape
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        event.preventDefault();
        props.onCancel();
      }}
    >
      <p>{props.question}</p>
      <div class="button-row">
        <button type="button" class="danger" ref={confirm} disabled={props.isBusy} onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
