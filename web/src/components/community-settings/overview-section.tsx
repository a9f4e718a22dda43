/**
 * Community settings > Overview: the community's name, description, icon and banner,
 * edited by those who may manage it and read by everyone else; then what the person
 * may do with their place in it (ownership-cards.tsx): hand it over and delete it (the
 * owner), or leave it (everyone else).
 */
import { useSignal } from "@preact/signals";
import { CommunityPicturesForm } from "../community-pictures-form.tsx";
import { FormError } from "../form-error.tsx";
import type { OwnSectionProps } from "./community-settings-page.tsx";
import { DeleteCommunityCard, LeaveCommunityCard, TransferOwnershipCard } from "./ownership-cards.tsx";

const NAME_MAX = 100;
const DESCRIPTION_MAX = 1000;

export function OverviewSection(props: OwnSectionProps) {
  const { community, settings } = props;
  const view = community.community.value;
  if (!view) return null;
  const isOwner = settings.isOwner.value;
  return (
    <>
      {settings.canManage.value ? (
        <CommunityDetailsForm {...props} key={view.id} />
      ) : (
        <section class="card" aria-labelledby="community-details-heading">
          <h2 id="community-details-heading">{view.name}</h2>
          <p>{view.description ?? "No description yet."}</p>
          <p class="hint">Only those who may manage the community can change its name, description and pictures.</p>
        </section>
      )}
      {settings.canManage.value && (
        <section class="card" aria-labelledby="community-pictures-heading">
          <h2 id="community-pictures-heading">Icon and banner</h2>
          <CommunityPicturesForm
            key={view.id}
            session={props.session}
            community={view}
            onChange={(changed) => {
              community.community.value = changed;
              void props.communities.load();
            }}
          />
        </section>
      )}
      {isOwner && <TransferOwnershipCard {...props} />}
      {isOwner && <DeleteCommunityCard {...props} />}
      {!isOwner && <LeaveCommunityCard {...props} />}
    </>
  );
}

function CommunityDetailsForm({ community, settings }: OwnSectionProps) {
  const view = community.community.value!;
  const name = useSignal(view.name);
  const description = useSignal(view.description ?? "");
  const { saving, isSaved } = settings;
  const isChanged = name.value.trim() !== view.name || (description.value.trim() || null) !== view.description;

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    await settings.save({ name: name.value, description: description.value });
  };
  const edit = (field: typeof name) => (event: Event) => {
    field.value = (event.currentTarget as HTMLInputElement).value;
    isSaved.value = false;
    saving.reset();
  };

  return (
    <section class="card" aria-labelledby="community-details-heading">
      <h2 id="community-details-heading">Community profile</h2>
      <form class="stack" onSubmit={(event) => void onSubmit(event)} noValidate>
        <label for="community-name">Community name</label>
        <input
          id="community-name"
          value={name.value}
          maxLength={NAME_MAX}
          required
          aria-describedby={saving.error.value ? "community-details-error" : undefined}
          onInput={edit(name)}
        />
        <label for="community-description">Description</label>
        <textarea
          id="community-description"
          rows={3}
          value={description.value}
          maxLength={DESCRIPTION_MAX}
          aria-describedby="community-description-hint"
          onInput={edit(description)}
        />
        <p id="community-description-hint" class="hint">
          What the community is for, shown on its page. {description.value.length}/{DESCRIPTION_MAX}
        </p>
        <FormError id="community-details-error" error={saving.error.value} />
        <div class="button-row">
          <button type="submit" class="primary" disabled={saving.isBusy.value || !isChanged}>
            Save changes
          </button>
          {isSaved.value && !isChanged && (
            <span role="status" class="hint">
              Saved. Everyone in the community sees it now.
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
