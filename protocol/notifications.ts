/**
 * Notification settings on the wire: the account-wide preferences and the levels and
 * mutes a person sets per community and per channel (a DM is a channel). Stored on
 * the server so every device of the person follows them; whether this browser shows
 * desktop notifications at all is the device's own choice and is not here.
 */
import { z } from "zod";

/** All messages, only mentions of the person (their roles, @here, @everyone), or nothing. */
export const NOTIFICATION_LEVELS = ["all", "mentions", "nothing"] as const;
export type NotificationLevel = (typeof NOTIFICATION_LEVELS)[number];

/** What still notifies while the person's status is Do Not Disturb. */
export const DND_ALLOWS = ["nothing", "dms", "dms_and_mentions"] as const;
export type DndAllows = (typeof DND_ALLOWS)[number];

export interface NotificationPreferences {
  /** Show "New message from alice" (or "New message") instead of the text, e.g. on a shared screen. */
  hideContent: boolean;
  sound: boolean;
  /** DMs and group DMs notify at all; each one can still be turned off on its own. */
  directMessages: boolean;
  dndAllows: DndAllows;
}

/** What a person who never chose gets: DMs notify, with sound and text; DND silences everything. */
export const DEFAULT_NOTIFICATION_PREFERENCES: NotificationPreferences = {
  hideContent: false,
  sound: true,
  directMessages: true,
  dndAllows: "nothing",
};

/**
 * A community nobody set notifies of mentions only: Discord's default for large
 * servers, because "all messages" in a busy community is noise that teaches people to
 * mute it. A channel without a level inherits its community's.
 */
export const DEFAULT_COMMUNITY_LEVEL: NotificationLevel = "mentions";
/** A DM or group DM is on (`all`) unless turned off (`nothing`): it has no mentions level. */
export const DEFAULT_DIRECT_LEVEL: NotificationLevel = "all";

/** The mutes the menus offer; any future time up to MUTE_MAX_MS is accepted, or "forever". */
export const MUTE_DURATIONS_MS = {
  "15m": 15 * 60_000,
  "1h": 60 * 60_000,
  "8h": 8 * 60 * 60_000,
  "24h": 24 * 60 * 60_000,
};
export const MUTE_MAX_MS = 366 * 24 * 60 * 60_000;
/** Until turned back on. */
export const MUTED_FOREVER = "forever";

/** A person holds at most this many community and channel settings. */
export const NOTIFICATION_TARGETS_MAX = 1_000;

export const NOTIFICATION_TARGET_KINDS = ["community", "channel"] as const;
export type NotificationTargetKind = (typeof NOTIFICATION_TARGET_KINDS)[number];

export interface NotificationTarget {
  kind: NotificationTargetKind;
  /** The community's or the channel's id. */
  id: string;
  /** Null inherits: a channel its community's level, a community the default. */
  level: NotificationLevel | null;
  /** An ISO time, "forever", or null when not muted (an expired mute reads as null). */
  mutedUntil: string | null;
}

/** GET /api/notifications. */
export interface NotificationSettings {
  preferences: NotificationPreferences;
  targets: NotificationTarget[];
}

/** PUT /api/notifications/preferences: any of the preferences; the rest stay. */
export const notificationPreferencesUpdateSchema = z.strictObject({
  hideContent: z.boolean().optional(),
  sound: z.boolean().optional(),
  directMessages: z.boolean().optional(),
  dndAllows: z.enum(DND_ALLOWS).optional(),
});

/** PUT /api/notifications/targets/:kind/:id: a field left out stays as it is. */
export const notificationTargetUpdateSchema = z.strictObject({
  level: z.enum(NOTIFICATION_LEVELS).nullable().optional(),
  mutedUntil: z
    .union([z.literal(MUTED_FOREVER), z.iso.datetime({ offset: true })])
    .nullable()
    .optional(),
});
export type NotificationTargetUpdate = z.infer<typeof notificationTargetUpdateSchema>;

export const notificationTargetKindSchema = z.enum(NOTIFICATION_TARGET_KINDS);

/**
 * Reads stored preferences (a jsonb that may be null, or written by an older or newer
 * version), field by field: a field that does not parse gets its default, the rest stay.
 */
export function notificationPreferencesOf(stored: unknown): NotificationPreferences {
  const preferences: Record<string, unknown> = { ...DEFAULT_NOTIFICATION_PREFERENCES };
  if (typeof stored !== "object" || stored === null) return preferences as unknown as NotificationPreferences;
  const fields: Record<string, z.ZodType> = notificationPreferencesUpdateSchema.shape;
  for (const key of Object.keys(DEFAULT_NOTIFICATION_PREFERENCES)) {
    const parsed = fields[key]!.safeParse((stored as Record<string, unknown>)[key]);
    if (parsed.success && parsed.data !== undefined) preferences[key] = parsed.data;
  }
  return preferences as unknown as NotificationPreferences;
}
