/**
 * Telling open clients that how a person shows changed (their avatar, display name or
 * custom status): the member lists of their communities and the DM lists of the
 * people they talk with are read again. Best effort: a client that misses the news
 * sees the change at its next load.
 */
import type { Context } from "hono";
import { errorText, log, query } from "../db/index.ts";
import type { AppEnv } from "./context.ts";

/** Conversations whose other people hear of the change (the page the DM list shows). */
const DM_NOTICES_MAX = 200;

export async function tellPersonChanged(c: Context<AppEnv>, userId: string, what: string): Promise<void> {
  const hubs = c.env.COMMUNITY_HUB;
  try {
    const communities = await query(c.env.DATABASE, "communitiesForUser", { userId });
    const dms = await query(c.env.DATABASE, "dmsForUser", { userId, limit: DM_NOTICES_MAX });
    const participants = await query(c.env.DATABASE, "participantsOfChannels", { channelIds: dms.map((dm) => dm.id) });
    const others = new Set(
      [...participants.values()]
        .flat()
        .map((person) => person.userId)
        .filter((other) => other !== userId),
    );
    await Promise.allSettled([
      ...communities.map((community) =>
        hubs.getByName(community.id).changed({ type: "changed", scope: "members", communityId: community.id }),
      ),
      ...[...others].map((other) => c.env.USER_SOCKETS.getByName(other).push({ type: "changed", scope: "dms" })),
    ]);
  } catch (error) {
    log.warn("clients_not_told", { what, error: errorText(error) });
  }
}
