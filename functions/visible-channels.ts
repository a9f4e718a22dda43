/**
 * Every channel a person may view right now: the channels of their communities
 * that pass the permission check, and their DMs. Unread counts and "mark all
 * read" start from this list, so they never reveal a channel someone cannot see.
 */
import type { Context } from "hono";
import { query } from "../db/index.ts";
import { has, Permission } from "../protocol/index.ts";
import { permissionsIn } from "../rooms/index.ts";
import type { AppEnv } from "./context.ts";

const DM_LIMIT = 200;

export async function visibleChannelIds(c: Context<AppEnv>): Promise<string[]> {
  const userId = c.get("userId");
  const now = Date.now();
  const ids: string[] = [];
  for (const community of await query(c.env.DATABASE, "communitiesForUser", { userId })) {
    const member = await query(c.env.DATABASE, "memberContext", { communityId: community.id, userId });
    if (!member) continue;
    const layout = await query(c.env.DATABASE, "communityLayout", { communityId: community.id });
    for (const channel of layout.channels) {
      const overrides = layout.overrides.filter((override) => override.channelId === channel.id);
      const permissions = permissionsIn({ scope: "community", channel, member, overrides }, userId, now);
      if (has(permissions, Permission.VIEW_CHANNEL)) ids.push(channel.id);
    }
  }
  for (const dm of await query(c.env.DATABASE, "dmsForUser", { userId, limit: DM_LIMIT })) ids.push(dm.id);
  return ids;
}
