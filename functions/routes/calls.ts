/**
 * /api/calls: the calls in progress in every channel the person may view (their
 * communities' visible voice channels, their DMs), for the channel list and a ringing
 * DM when a page loads; the `call` event on the account socket keeps it current.
 */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import type { CallSummary } from "../../protocol/index.ts";
import { userRateLimit } from "../abuse.ts";
import type { AppEnv } from "../context.ts";
import { requireUser } from "../middleware.ts";
import { visibleChannelIds } from "../visible-channels.ts";

/** Pages ask on start and after reconnects; far more than that is a loop. */
const CALLS_LIMIT = userRateLimit("calls", 120, 60);

export const calls = new Hono<AppEnv>().get("/", requireUser, CALLS_LIMIT, async (c) => {
  // Authorization by scoping: only rows of channels the person may view are read.
  const channelIds = await visibleChannelIds(c);
  const active = await query(c.env.DATABASE, "activeCallsIn", { channelIds });
  return c.json({ calls: active satisfies CallSummary[] });
});
