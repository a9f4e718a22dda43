/**
 * /api/notifications: the signed-in person's notification settings, kept on the
 * server so every device of theirs follows them. Account-wide preferences, and a
 * level or mute per community they are in and per channel or DM they may view.
 * Each change tells their open pages (`changed`, scope `notifications`).
 */
import { Hono, type Context } from "hono";
import { errorText, log, query } from "../../db/index.ts";
import {
  MUTE_MAX_MS,
  NOTIFICATION_TARGETS_MAX,
  notificationPreferencesOf,
  notificationPreferencesUpdateSchema,
  notificationTargetKindSchema,
  notificationTargetUpdateSchema,
  uuidSchema,
  type NotificationSettings,
  type NotificationTarget,
  type NotificationTargetKind,
} from "../../protocol/index.ts";
import { rateLimit } from "../abuse.ts";
import { channelAccess } from "../channel-access.ts";
import { communityAccess } from "../community-access.ts";
import type { AppEnv } from "../context.ts";
import { AppError, notFound } from "../errors.ts";
import { limitBody, requireUser } from "../middleware.ts";
import { parseJson } from "../validation.ts";

/** Clicking through a menu of mutes is a few changes; a script's flood is refused. */
const CHANGE_LIMIT = rateLimit("notification-settings", 120, 60);

/** The person's other devices (and this one) read their settings again. Best effort. */
async function tellDevices(c: Context<AppEnv>): Promise<void> {
  try {
    await c.env.USER_SOCKETS.getByName(c.get("userId")).push({ type: "changed", scope: "notifications" });
  } catch (error) {
    log.warn("clients_not_told", { what: "notification settings", error: errorText(error) });
  }
}

/** The target as the person may reach it (else 404, as for anything they cannot see); whether it is a DM. */
async function reachTarget(c: Context<AppEnv>, kind: NotificationTargetKind, id: string) {
  if (kind === "community") {
    await communityAccess(c, id);
    return { isDirect: false };
  }
  const access = await channelAccess(c, id);
  return { isDirect: access.context.scope === "direct" };
}

function targetKind(raw: string): NotificationTargetKind {
  const kind = notificationTargetKindSchema.safeParse(raw);
  if (!kind.success) throw notFound("that kind of notification target");
  return kind.data;
}

/** A mute's end: "forever", or a time ahead of now but no more than MUTE_MAX_MS ahead. */
function muteEnd(value: string | null | undefined, now: number): Date | "forever" | null | undefined {
  if (value === undefined || value === null || value === "forever") return value;
  const at = Date.parse(value);
  if (at <= now) throw new AppError(400, "invalid_request", "mutedUntil: a mute must end in the future");
  if (at - now > MUTE_MAX_MS) {
    throw new AppError(400, "invalid_request", 'mutedUntil: at most a year ahead; use "forever" for no end');
  }
  return new Date(at);
}

export const notifications = new Hono<AppEnv>()
  .use(requireUser)
  .get("/", async (c) => {
    const stored = await query(c.env.DATABASE, "notificationSettingsOf", { userId: c.get("userId") });
    return c.json({
      preferences: notificationPreferencesOf(stored.preferences),
      targets: stored.targets,
    } satisfies NotificationSettings);
  })
  .put("/preferences", CHANGE_LIMIT, limitBody, async (c) => {
    const changes = await parseJson(c, notificationPreferencesUpdateSchema);
    const stored = await query(c.env.DATABASE, "updateNotificationPreferences", { userId: c.get("userId"), changes });
    await tellDevices(c);
    return c.json(notificationPreferencesOf(stored));
  })
  .put("/targets/:kind/:id", CHANGE_LIMIT, limitBody, async (c) => {
    const kind = targetKind(c.req.param("kind"));
    const id = c.req.param("id");
    const update = await parseJson(c, notificationTargetUpdateSchema);
    const mutedUntil = muteEnd(update.mutedUntil, Date.now());
    const { isDirect } = await reachTarget(c, kind, id);
    if (isDirect && update.level === "mentions") {
      throw new AppError(400, "invalid_request", 'level: a direct conversation is on ("all") or off ("nothing")');
    }
    const stored = await query(c.env.DATABASE, "setNotificationTarget", {
      userId: c.get("userId"),
      kind,
      id,
      level: update.level,
      mutedUntil,
      max: NOTIFICATION_TARGETS_MAX,
    });
    if (stored === "too_many") {
      throw new AppError(
        409,
        "too_many_notification_settings",
        `at most ${NOTIFICATION_TARGETS_MAX} communities and channels can have their own settings; reset some first`,
      );
    }
    await tellDevices(c);
    return c.json(stored satisfies NotificationTarget);
  })
  .delete("/targets/:kind/:id", CHANGE_LIMIT, async (c) => {
    const kind = targetKind(c.req.param("kind"));
    const id = uuidSchema.safeParse(c.req.param("id"));
    // Only the person's own row is touched, so no access check: a setting of a community
    // they left can still be cleared, and nothing about the target is revealed.
    if (!id.success) throw notFound("that notification setting");
    if (await query(c.env.DATABASE, "clearNotificationTarget", { userId: c.get("userId"), kind, id: id.data })) {
      await tellDevices(c);
    }
    return c.body(null, 204);
  });
