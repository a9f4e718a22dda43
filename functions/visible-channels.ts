/**
 * Every channel a person may view right now: the channels of their communities
 * that pass the permission check, and their DMs. Unread counts and "mark all
 * read" start from this list, so they never reveal a channel someone cannot see.
 */
import type { Context } from "hono";
import { query, type OverrideRecord } from "../db/index.ts";
import { has, Permission } from "../protocol/index.ts";
import { permissionsIn } from "../rooms/index.ts";
import type { AppEnv } from "./context.ts";

const DM_LIMIT = 200;

export async function visibleChannelIds(c: Context<AppEnv>): Promise<string[]> {
  const userId = c.get("userId");
  const now = Date.now();
  const members = await query(c.env.DATABASE, "memberContextsOfUser", { userId });
  const memberIn = new Map(members.map((member) => [member.community.id, member]));
  const { channels, overrides } = await query(c.env.DATABASE, "channelsOfCommunities", {
    communityIds: [...memberIn.keys()],
  });
  const overridesOf = new Map<string, OverrideRecord[]>();
  for (const override of overrides) {
    overridesOf.set(override.channelId, [...(overridesOf.get(override.channelId) ?? []), override]);
  }
  const ids: string[] = [];
  for (const channel of channels) {
    const member = memberIn.get(channel.communityId!);
    if (!member) continue;
    const context = { scope: "community" as const, channel, member, overrides: overridesOf.get(channel.id) ?? [] };
    if (has(permissionsIn(context, userId, now), Permission.VIEW_CHANNEL)) ids.push(channel.id);
  }
  for (const dm of await query(c.env.DATABASE, "dmsForUser", { userId, limit: DM_LIMIT })) ids.push(dm.id);
  return ids;
}
