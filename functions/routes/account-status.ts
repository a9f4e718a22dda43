/**
 * /api/account/status: one's custom status (text, emoji, when it clears itself), shown
 * to everyone who sees the person in a member or DM list. An expired status is simply
 * no longer sent (db/queries/profile-fields.ts), so nothing needs to sweep it.
 */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import { CUSTOM_STATUS_MAX_DAYS, customStatusSchema } from "../../protocol/index.ts";
import { rateLimit } from "../abuse.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.ts";
import { limitBody } from "../middleware.ts";
import { tellPersonChanged } from "../people-changes.ts";
import { parseJson } from "../validation.ts";
import { userView } from "../views.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Each change is pushed to every community the person is in: a few a minute is plenty. */
const STATUS_LIMIT = rateLimit("custom-status", 20, 60);

/** Mounted after /api/account, behind its requireUser. */
export const accountStatus = new Hono<AppEnv>().patch("/", STATUS_LIMIT, limitBody, async (c) => {
  const input = await parseJson(c, customStatusSchema);
  const text = input.text || null;
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (text && expiresAt && expiresAt.getTime() <= Date.now())
    throw new AppError(400, "invalid_request", "expiresAt is in the past: choose a later time, or null for never");
  if (expiresAt && expiresAt.getTime() > Date.now() + CUSTOM_STATUS_MAX_DAYS * DAY_MS)
    throw new AppError(
      400,
      "invalid_request",
      `a status clears itself within ${CUSTOM_STATUS_MAX_DAYS} days at most: choose an earlier time, or null for never`,
    );
  const user = await query(c.env.DATABASE, "setCustomStatus", {
    userId: c.get("userId"),
    text,
    emoji: (text && input.emoji) || null,
    expiresAt: text ? expiresAt : null,
  });
  await tellPersonChanged(c, user.id, "custom status");
  return c.json({ user: userView(user) });
});
