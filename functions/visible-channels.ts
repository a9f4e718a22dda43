/**
 * Every channel a person may view right now: the channels of their communities
 * that pass the permission check (rooms/visible-channels.ts), and their DMs. Unread
 * counts and "mark all read" start from this list, so they never reveal a channel
 * someone cannot see.
 */
import type { Context } from "hono";
import { query } from "../db/index.ts";
import { visibleCommunityChannels } from "../rooms/index.ts";
import type { AppEnv } from "./context.ts";

const DM_LIMIT = 200;

export async function visibleChannelIds(c: Context<AppEnv>): Promise<string[]> {
  const userId = c.get("userId");
  const { channelIds } = await visibleCommunityChannels(c.env.DATABASE, userId, Date.now());
  const ids = [...channelIds];
  for (const dm of await query(c.env.DATABASE, "dmsForUser", { userId, limit: DM_LIMIT })) ids.push(dm.id);
  return ids;
}
