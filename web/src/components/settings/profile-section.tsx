/**
 * Settings > Profile: how others see the person. The display name (shown instead of
 * the username wherever they appear), pronouns and "About me", with a preview card as
 * others see it; the custom status; and the avatar.
 */
import { useModel, useSignal } from "@preact/signals";
import { OwnProfileModel } from "../../models/own-profile.ts";
import type { Session } from "../../models/session.ts";
import { FormError } from "../form-error.tsx";
import { AvatarSection } from "./avatar-section.tsx";
import { CustomStatusForm } from "./custom-status-form.tsx";
import { ProfilePreview } from "./profile-preview.tsx";

const DISPLAY_NAME_MAX = 64;
const PRONOUNS_MAX = 32;
const BIO_MAX = 500;

export function ProfileSection({ session }: { session: Session }) {
  const profile = useModel(() => new OwnProfileModel(session));
  const user = session.user.value;
  const displayName = useSignal(user?.displayName ?? "");
  const pronouns = useSignal(user?.pronouns ?? "");
  const bio = useSignal(user?.bio ?? "");
  const isSaved = useSignal(false);
  if (!user) return null;
  const { saving } = profile;
  const isChanged =
    displayName.value !== (user.displayName ?? "") ||
    pronouns.value !== (user.pronouns ?? "") ||
    bio.value !== (user.bio ?? "");

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    isSaved.value = await profile.save({ displayName: displayName.value, pronouns: pronouns.value, bio: bio.value });
  };
  const edit = (field: typeof displayName) => (event: Event) => {
    field.value = (event.currentTarget as HTMLInputElement).value;
    isSaved.value = false;
  };

  return (
    <>
      <section class="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading">About you</h2>
        <div class="profile-editor">
          <form class="stack" onSubmit={(event) => void onSubmit(event)} noValidate>
            <label for="profile-display-name">Display name</label>
            <input
              id="profile-display-name"
              value={displayName.value}
              maxLength={DISPLAY_NAME_MAX}
              placeholder={user.username}
              autoComplete="nickname"
              aria-describedby="profile-display-name-hint"
              onInput={edit(displayName)}
            />
            <p id="profile-display-name-hint" class="hint">
              Shown instead of your username, {user.username}, wherever you appear. Leave it empty to use your username.
            </p>
            <label for="profile-pronouns">Pronouns</label>
            <input
              id="profile-pronouns"
              value={pronouns.value}
              maxLength={PRONOUNS_MAX}
              placeholder="they/them"
              onInput={edit(pronouns)}
            />
            <label for="profile-bio">About me</label>
            <textarea id="profile-bio" rows={4} value={bio.value} maxLength={BIO_MAX} onInput={edit(bio)} />
            <p class="hint">
              {bio.value.length}/{BIO_MAX}
            </p>
            <FormError id="profile-error" error={saving.error.value} />
            <div class="button-row">
              <button type="submit" class="primary" disabled={saving.isBusy.value || !isChanged}>
                Save profile
              </button>
              {isSaved.value && !isChanged && (
                <span role="status" class="hint">
                  Saved.
                </span>
              )}
            </div>
          </form>
          <ProfilePreview
            user={user}
            displayName={displayName.value.trim() || null}
            pronouns={pronouns.value.trim() || null}
            bio={bio.value.trim() || null}
          />
        </div>
      </section>
      <CustomStatusForm profile={profile} status={user.customStatus} />
      <AvatarSection session={session} />
    </>
  );
}
