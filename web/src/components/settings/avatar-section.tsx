/**
 * The settings' "Avatar": the person's picture as others see it, changing it (pick a
 * file, crop it square, apply: it shows at once, here and in the top bar) and removing
 * it. Like Discord's "Change avatar"; the picture is resized to 256 pixels in the page.
 */
import { useModel, useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import { AvatarModel } from "../../models/pictures.ts";
import type { Session } from "../../models/session.ts";
import { Avatar } from "../avatar.tsx";
import { FormError } from "../form-error.tsx";
import { pickedPicture } from "../picked-picture.ts";
import { PictureCropper } from "../picture-cropper.tsx";

/** Avatars are stored at this many pixels a side: sharp at every size they are shown. */
const AVATAR_PIXELS = 256;

export function AvatarSection({ session }: { session: Session }) {
  const editing = useModel(() => new AvatarModel(session));
  const picked = useSignal<File | null>(null);
  const pickError = useSignal<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const user = session.user.value;
  if (!user) return null;
  const { saving } = editing;

  const onPick = async (event: Event) => {
    const element = event.currentTarget as HTMLInputElement;
    const choice = await pickedPicture(element);
    pickError.value = choice.error;
    saving.reset();
    picked.value = choice.file;
  };
  const onSave = async (picture: Blob) => {
    if (await editing.save(picture)) picked.value = null;
  };

  return (
    <section class="card" aria-labelledby="avatar-heading">
      <h2 id="avatar-heading">Avatar</h2>
      <div class="avatar-settings">
        <Avatar name={user.username} id={user.id} url={user.avatarUrl} size="huge" />
        <div class="stack">
          <div class="button-row">
            <button type="button" class="primary" onClick={() => input.current?.click()} disabled={saving.isBusy.value}>
              Change avatar
            </button>
            {user.avatarUrl && (
              <button type="button" onClick={() => void editing.remove()} disabled={saving.isBusy.value}>
                Remove avatar
              </button>
            )}
          </div>
          <input ref={input} type="file" accept="image/*" hidden onChange={(event) => void onPick(event)} />
          <p class="hint">
            Everyone who can see you sees your avatar: unlike your messages, it is not end-to-end encrypted.
          </p>
          <FormError id="avatar-error" error={picked.value ? null : (pickError.value ?? saving.error.value)} />
        </div>
      </div>
      {picked.value && (
        <PictureCropper
          file={picked.value}
          width={AVATAR_PIXELS}
          height={AVATAR_PIXELS}
          what="avatar"
          isRound
          isBusy={saving.isBusy.value}
          error={saving.error.value}
          onSave={(picture) => void onSave(picture)}
          onCancel={() => (picked.value = null)}
        />
      )}
    </section>
  );
}
