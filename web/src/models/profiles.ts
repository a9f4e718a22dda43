/**
 * What the page knows of how people present themselves: their display names and
 * custom statuses, learned from the lists the server sends (community members, DM
 * participants, one's own account). One store for the page, so a name anywhere
 * (PersonName) reads it without being handed a model; a status disappears at its
 * expiry without a reload. Plain functions over signals rather than a createModel
 * model: a model's methods run untracked, and whatever shows a name must render again
 * when the name arrives.
 */
import { signal } from "@preact/signals";
import type { CustomStatusView } from "../../../protocol/index.ts";

export interface KnownPerson {
  userId: string;
  username?: string;
  displayName?: string | null;
  /** Absent where a list does not carry it (DM participants): what was known stays. */
  customStatus?: CustomStatusView | null;
}

interface Profile {
  username: string | null;
  displayName: string | null;
  customStatus: CustomStatusView | null;
}

/** A timer cannot wait longer than this (2^31 - 1 ms); later expiries are looked at again then. */
const TIMER_MAX_MS = 2_147_483_647;

const isLive = (status: CustomStatusView | null, now: number): status is CustomStatusView =>
  status !== null && (status.expiresAt === null || Date.parse(status.expiresAt) > now);

function createProfiles() {
  const known = signal<ReadonlyMap<string, Profile>>(new Map());
  /** Bumped when a status expires, so what shows it renders again. */
  const clock = signal(Date.now());
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;

  function scheduleExpiry(): void {
    clearTimeout(expiryTimer);
    const now = Date.now();
    const next = Math.min(
      ...[...known.peek().values()]
        .map((profile) => profile.customStatus?.expiresAt)
        .filter((at): at is string => !!at)
        .map((at) => Date.parse(at))
        .filter((at) => at > now),
    );
    if (!Number.isFinite(next)) return;
    expiryTimer = setTimeout(
      () => {
        clock.value = Date.now();
        scheduleExpiry();
      },
      Math.min(next - now + 50, TIMER_MAX_MS),
    );
  }

  return {
    /** Takes in what a list said about these people; fields a list leaves out keep their value. */
    remember(people: readonly KnownPerson[]): void {
      if (people.length === 0) return;
      const next = new Map(known.peek());
      for (const person of people) {
        const before = next.get(person.userId);
        next.set(person.userId, {
          username: person.username ?? before?.username ?? null,
          displayName: person.displayName !== undefined ? person.displayName : (before?.displayName ?? null),
          customStatus: person.customStatus !== undefined ? person.customStatus : (before?.customStatus ?? null),
        });
      }
      known.value = next;
      scheduleExpiry();
    },
    /** The display name where one is set and known, else `fallback` (the username). */
    nameOf(userId: string, fallback: string): string {
      return known.value.get(userId)?.displayName || fallback;
    },
    /** Their username, when a list named them. */
    usernameOf(userId: string): string | null {
      return known.value.get(userId)?.username ?? null;
    },
    /** The person's custom status while it lasts, else null. */
    statusOf(userId: string): CustomStatusView | null {
      const status = known.value.get(userId)?.customStatus ?? null;
      return isLive(status, clock.value) ? status : null;
    },
  };
}

/** The page's one store. */
export const profiles = createProfiles();
