/**
 * The person's notification settings as the server keeps them (GET /api/notifications):
 * the account-wide preferences and the level and mute of each community, channel and
 * conversation they set. Every device follows them: a change anywhere arrives as the
 * account socket's `changed` frame (scope `notifications`) and the settings are read
 * again. What a channel ends up with (its own level, else its community's, else the
 * default; muted by itself or by its community) is worked out here, for the menus,
 * the quiet badges and the decision to notify.
 */
import { computed, createModel, effect, signal } from "@preact/signals";
import {
  DEFAULT_COMMUNITY_LEVEL,
  DEFAULT_DIRECT_LEVEL,
  DEFAULT_NOTIFICATION_PREFERENCES,
  MUTED_FOREVER,
  type NotificationLevel,
  type NotificationPreferences,
  type NotificationSettings as SettingsView,
  type NotificationTarget,
  type NotificationTargetKind,
  type NotificationTargetUpdate,
} from "../../../../protocol/notifications.ts";
import type { AccountEvents } from "../account-events.ts";
import { describeError } from "../api-client.ts";
import { latestOnly } from "../latest-only.ts";
import type { Session } from "../session.ts";

/** A timer cannot wait longer than this (2^31 - 1 ms); a later expiry is looked at again then. */
const TIMER_MAX_MS = 2_147_483_647;

/** Where a message was: its channel, and its community (null for a DM or group DM). */
export interface Place {
  channelId: string;
  communityId: string | null;
}

const targetKey = (kind: NotificationTargetKind, id: string) => `${kind}:${id}`;

export const NotificationSettingsModel = createModel((session: Session, events: AccountEvents) => {
  const preferences = signal<NotificationPreferences>(DEFAULT_NOTIFICATION_PREFERENCES);
  const targets = signal<ReadonlyMap<string, NotificationTarget>>(new Map());
  const isLoaded = signal(false);
  const error = signal<string | null>(null);
  /** Moves on when a mute runs out, so everything that asks "muted?" asks again. */
  const now = signal(Date.now());
  const nextLoad = latestOnly();
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;

  async function load(): Promise<void> {
    const isLatest = nextLoad();
    try {
      const answer = await session.request<SettingsView>("/api/notifications");
      if (!isLatest()) return;
      preferences.value = answer.preferences;
      targets.value = new Map(answer.targets.map((target) => [targetKey(target.kind, target.id), target]));
      isLoaded.value = true;
      error.value = null;
    } catch (caught) {
      if (isLatest()) error.value = `notification settings could not be loaded: ${describeError(caught)}`;
    }
  }

  const targetOf = (kind: NotificationTargetKind, id: string): NotificationTarget | undefined =>
    targets.value.get(targetKey(kind, id));

  /** A mute still running at `now`. */
  const isMuteLive = (mutedUntil: string | null | undefined): boolean =>
    !!mutedUntil && (mutedUntil === MUTED_FOREVER || Date.parse(mutedUntil) > now.value);

  function isMuted(place: Place): boolean {
    if (isMuteLive(targetOf("channel", place.channelId)?.mutedUntil)) return true;
    return place.communityId !== null && isMuteLive(targetOf("community", place.communityId)?.mutedUntil);
  }

  /** The level a channel follows: its own, else its community's, else the default. */
  function levelOf(place: Place): NotificationLevel {
    const own = targetOf("channel", place.channelId)?.level;
    if (own) return own;
    if (place.communityId === null) return DEFAULT_DIRECT_LEVEL;
    return targetOf("community", place.communityId)?.level ?? DEFAULT_COMMUNITY_LEVEL;
  }

  async function update(kind: NotificationTargetKind, id: string, change: NotificationTargetUpdate): Promise<boolean> {
    error.value = null;
    try {
      const saved = await session.request<NotificationTarget>(
        `/api/notifications/targets/${kind}/${encodeURIComponent(id)}`,
        { method: "PUT", body: change },
      );
      targets.value = new Map(targets.peek()).set(targetKey(kind, id), saved);
      return true;
    } catch (caught) {
      error.value = `could not save that: ${describeError(caught)}`;
      return false;
    }
  }

  void load();
  effect(() =>
    events.listen((news) => {
      if ((news.type === "changed" && news.scope === "notifications") || news.type === "reconnected") void load();
    }),
  );
  // Wakes when the soonest mute runs out.
  effect(() => {
    clearTimeout(expiryTimer);
    const soonest = Math.min(
      ...[...targets.value.values()]
        .map((target) =>
          target.mutedUntil && target.mutedUntil !== MUTED_FOREVER ? Date.parse(target.mutedUntil) : NaN,
        )
        .filter((time) => time > now.peek()),
    );
    if (!Number.isFinite(soonest)) return;
    expiryTimer = setTimeout(() => (now.value = Date.now()), Math.min(TIMER_MAX_MS, soonest - now.peek() + 50));
    return () => clearTimeout(expiryTimer);
  });

  return {
    preferences,
    isLoaded,
    error,
    load,
    targetOf,
    isMuted,
    levelOf,
    /** The communities and channels muted now, for Settings > Notifications. */
    muted: computed(() => [...targets.value.values()].filter((target) => isMuteLive(target.mutedUntil))),
    /** Null level: follow the community (or the default). */
    setLevel: (kind: NotificationTargetKind, id: string, level: NotificationLevel | null) =>
      update(kind, id, { level }),
    /** For `durationMs`, or until turned back on (null). */
    mute: (kind: NotificationTargetKind, id: string, durationMs: number | null) =>
      update(kind, id, {
        mutedUntil: durationMs === null ? MUTED_FOREVER : new Date(Date.now() + durationMs).toISOString(),
      }),
    unmute: (kind: NotificationTargetKind, id: string) => update(kind, id, { mutedUntil: null }),
    async setPreferences(change: Partial<NotificationPreferences>): Promise<boolean> {
      error.value = null;
      const before = preferences.peek();
      preferences.value = { ...before, ...change };
      try {
        preferences.value = await session.request<NotificationPreferences>("/api/notifications/preferences", {
          method: "PUT",
          body: change,
        });
        return true;
      } catch (caught) {
        preferences.value = before;
        error.value = `could not save that: ${describeError(caught)}`;
        return false;
      }
    },
  };
});

export type NotificationSettings = InstanceType<typeof NotificationSettingsModel>;
