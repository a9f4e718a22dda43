/**
 * /api/channels/:channelId/call: declining a DM call that rings for the caller. Joining,
 * leaving and everything else about a call travel on the channel's socket; declining is
 * HTTP so a page that has no socket open in the DM (the incoming-call bar) can answer.
 */
import { Hono } from "hono";
import { channelAccess } from "../channel-access.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireUser } from "../middleware.ts";

export const channelCalls = new Hono<AppEnv>().post("/:channelId/call/decline", requireUser, async (c) => {
  const access = await channelAccess(c, c.req.param("channelId"));
  const room = c.env.CHANNEL_ROOM.getByName(access.context.channel.id);
  if (!(await room.declineCall(c.get("userId")))) {
    throw new AppError(409, "not_ringing", "no call is ringing for you in this conversation");
  }
  return c.body(null, 204);
});
