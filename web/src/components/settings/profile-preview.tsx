/** The profile card as others see it, drawn from what the form holds before it is saved. */
import type { UserView } from "../../../../protocol/index.ts";
import { Avatar } from "../avatar.tsx";

interface ProfilePreviewProps {
  user: UserView;
  displayName: string | null;
  pronouns: string | null;
  bio: string | null;
}

export function ProfilePreview({ user, displayName, pronouns, bio }: ProfilePreviewProps) {
  const status = user.customStatus;
  return (
    <figure class="profile-preview" aria-labelledby="profile-preview-caption">
      <figcaption id="profile-preview-caption" class="profile-preview-caption">
        Preview
      </figcaption>
      <div class="profile-preview-banner" aria-hidden="true" />
      <div class="profile-preview-body">
        <Avatar name={user.username} id={user.id} url={user.avatarUrl} size="huge" isDecorative />
        <p class="profile-preview-name">{displayName ?? user.username}</p>
        <p class="profile-preview-username">
          {user.username}
          {pronouns && <span> · {pronouns}</span>}
        </p>
        {status && (
          <p class="profile-preview-status">
            {status.emoji && <span aria-hidden="true">{status.emoji} </span>}
            {status.text}
          </p>
        )}
        {bio && (
          <>
            <p class="profile-preview-label">About me</p>
            <p class="profile-preview-bio">{bio}</p>
          </>
        )}
      </div>
    </figure>
  );
}
