/**
 * A community's icon and banner, for those who may manage the community: each shown
 * as it is, changed by picking a file and cropping it (the icon square at 256 pixels,
 * the banner 16:9 at 960×540), or removed. A small part of the community's settings.
 */
import { useModel, useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import type { CommunityView } from "../../../protocol/index.ts";
import { CommunityPicturesModel, type CommunityPictureKind } from "../models/pictures.ts";
import type { Session } from "../models/session.ts";
import { Avatar } from "./avatar.tsx";
import { FormError } from "./form-error.tsx";
import { pickedPicture } from "./picked-picture.ts";
import { PictureCropper } from "./picture-cropper.tsx";

/** Pixels each is stored at: the icon sharp at any size shown, the banner as wide as the pane. */
const SIZES: Record<CommunityPictureKind, { width: number; height: number }> = {
  icon: { width: 256, height: 256 },
  banner: { width: 960, height: 540 },
};

interface CommunityPicturesFormProps {
  session: Session;
  community: CommunityView;
  onChange(community: CommunityView): void;
}

export function CommunityPicturesForm({ session, community, onChange }: CommunityPicturesFormProps) {
  const pictures = useModel(() => new CommunityPicturesModel(session, community.id, onChange));
  const picking = useSignal<{ kind: CommunityPictureKind; file: File } | null>(null);
  const pickError = useSignal<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const nextKind = useRef<CommunityPictureKind>("icon");
  const { saving } = pictures;
  const isBusy = saving.isBusy.value;

  const choose = (kind: CommunityPictureKind) => {
    nextKind.current = kind;
    input.current?.click();
  };
  const onPick = async (event: Event) => {
    const choice = await pickedPicture(event.currentTarget as HTMLInputElement);
    pickError.value = choice.error;
    saving.reset();
    picking.value = choice.file ? { kind: nextKind.current, file: choice.file } : null;
  };
  const onSave = async (kind: CommunityPictureKind, picture: Blob) => {
    if (await pictures.save(kind, picture)) picking.value = null;
  };
  const current = picking.value;

  return (
    <div class="community-pictures">
      <div class="community-picture-row">
        <Avatar name={community.name} id={community.id} url={community.iconUrl} size="large" shape="square" />
        <span class="community-picture-label">Icon</span>
        <button type="button" onClick={() => choose("icon")} disabled={isBusy}>
          Change icon
        </button>
        {community.iconUrl && (
          <button type="button" onClick={() => void pictures.remove("icon")} disabled={isBusy}>
            Remove icon
          </button>
        )}
      </div>
      <div class="community-picture-row">
        {community.bannerUrl ? (
          <img class="community-banner-thumbnail" src={community.bannerUrl} alt={`${community.name}’s banner`} />
        ) : (
          <span class="community-banner-thumbnail is-empty" aria-hidden="true" />
        )}
        <span class="community-picture-label">Banner</span>
        <button type="button" onClick={() => choose("banner")} disabled={isBusy}>
          Change banner
        </button>
        {community.bannerUrl && (
          <button type="button" onClick={() => void pictures.remove("banner")} disabled={isBusy}>
            Remove banner
          </button>
        )}
      </div>
      <input ref={input} type="file" accept="image/*" hidden onChange={(event) => void onPick(event)} />
      <p class="hint">Everyone in the community sees these; they are not end-to-end encrypted.</p>
      <FormError id="community-pictures-error" error={current ? null : (pickError.value ?? saving.error.value)} />
      {current && (
        <PictureCropper
          file={current.file}
          {...SIZES[current.kind]}
          what={current.kind}
          isBusy={isBusy}
          error={saving.error.value}
          onSave={(picture) => void onSave(current.kind, picture)}
          onCancel={() => (picking.value = null)}
        />
      )}
    </div>
  );
}
