/**
 * Which person's profile card is open, if any: anything that shows a name or an avatar
 * (the timeline, the member list, the DM list) opens it; the card itself
 * (components/people/profile-card.tsx) is drawn once, by the workspace.
 */
import { createModel, signal } from "@preact/signals";
import type { ChannelView } from "../../../protocol/index.ts";
import type { ProfileView } from "../../../protocol/moderation.ts";
import { ApiError, describeError } from "./api-client.ts";
import { profiles } from "./profiles.ts";
import { dmPath, type Router } from "./router.ts";
import type { Session } from "./session.ts";

export interface ProfileCardTarget {
  userId: string;
  /** The community it was opened in (for roles and moderation), or null outside one. */
  communityId: string | null;
  /** The name the opener already shows, until the profile is known. */
  fallbackName: string;
  /** What was clicked: the card is placed beside it, and focus returns to it on close. */
  anchor: HTMLElement | null;
}

const target = signal<ProfileCardTarget | null>(null);

export const profileCard = {
  target,
  open(next: ProfileCardTarget) {
    target.value = next;
  },
  close() {
    target.value = null;
  },
};

/**
 * Opens (or finds) the direct conversation with the person and goes there; null when
 * it worked, else why not in the server's words (a block, for one).
 */
export async function openDirectMessage(session: Session, router: Router, userId: string): Promise<string | null> {
  try {
    const answer = await session.request<{ channel: ChannelView }>("/api/dms", {
      method: "POST",
      body: { userIds: [userId] },
    });
    profileCard.close();
    router.navigate(dmPath(answer.channel.id));
    return null;
  } catch (caught) {
    return describeError(caught);
  }
}

/** The open card's person as the server tells it (bio and all), read when the card opens. */
export const ProfileDetailsModel = createModel((session: Session, userId: string) => {
  const profile = signal<ProfileView | null>(null);
  const loadError = signal<string | null>(null);
  void session.request<{ profile: ProfileView }>(`/api/users/${encodeURIComponent(userId)}`).then(
    (answer) => {
      profile.value = answer.profile;
      profiles.remember([{ userId, ...answer.profile }]);
    },
    (caught: unknown) => {
      loadError.value =
        caught instanceof ApiError && caught.status === 404
          ? "this person’s profile is not available to you"
          : describeError(caught);
    },
  );
  return { profile, loadError };
});

export type ProfileDetails = InstanceType<typeof ProfileDetailsModel>;
