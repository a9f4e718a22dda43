/**
 * /api/unread: unread and mention counts for every channel and DM the person may
 * view, and "mark everything read". Read positions are per person, so every device
 * sees the same counts.
 */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import { HISTORY_SHARE_CLIENT_ID_PREFIX, UNREAD_COUNT_CAP, type UnreadView } from "../../protocol/index.ts";
import type { AppEnv } from "../context.ts";
import { requireUser } from "../middleware.ts";
import { visibleChannelIds } from "../visible-channels.ts";
import { userRateLimit } from "../abuse.ts";

/** Clients ask on start and after reconnects; far more than that is a loop or an attack. */
const UNREAD_LIMIT = userRateLimit("unread", 120, 60);

export const unread = new Hono<AppEnv>()
  .use(requireUser)
  .get("/", UNREAD_LIMIT, async (c) => {
    const channelIds = await visibleChannelIds(c);
    const counts = await query(c.env.DATABASE, "unreadCounts", {
      userId: c.get("userId"),
      channelIds,
      cap: UNREAD_COUNT_CAP,
      hiddenClientIdPrefix: HISTORY_SHARE_CLIENT_ID_PREFIX,
    });
    return c.json({ channels: counts satisfies UnreadView[] });
  })
  .post("/mark-all-read", async (c) => {
    const channelIds = await visibleChannelIds(c);
    await query(c.env.DATABASE, "markAllRead", { userId: c.get("userId"), channelIds });
    return c.body(null, 204);
  });
