/**
 * Which person's profile card is open, if any: anything that shows a name or an avatar
 * (the timeline, the member list, the DM list) opens it; the card itself
 * (components/people/profile-card.tsx) is drawn once, by the workspace.
 */
import { signal } from "@preact/signals";

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
