/**
 * Moderation and profile shapes the web app reads: a ban in the bans list, the
 * profile card's person, and the time-out lengths the member menu offers (the
 * server takes any length up to 28 days: `timeoutSchema` in communities.ts).
 */
import type { CustomStatusView } from "./profiles.ts";

/** `GET /api/communities/:id/bans`: one person banned, newest first. */
export interface BanView {
  userId: string;
  username: string;
  displayName: string | null;
  reason: string | null;
  /** Who banned them (null once that account is gone). */
  bannedBy: string | null;
  bannedByName: string | null;
  createdAt: string;
}

/** `GET /api/users/:userId`: how a person presents themself, to those who share a community or a conversation with them. */
export interface ProfileView {
  id: string;
  username: string;
  displayName: string | null;
  pronouns: string | null;
  bio: string | null;
  customStatus: CustomStatusView | null;
  avatarUrl: string | null;
  createdAt: string;
}

/** The time-outs the member menu offers, as Discord's: label and minutes. */
export const TIMEOUT_DURATIONS = [
  { label: "60 seconds", minutes: 1 },
  { label: "5 minutes", minutes: 5 },
  { label: "10 minutes", minutes: 10 },
  { label: "1 hour", minutes: 60 },
  { label: "1 day", minutes: 24 * 60 },
  { label: "1 week", minutes: 7 * 24 * 60 },
] as const;
