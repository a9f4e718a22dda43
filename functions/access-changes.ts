/**
 * Publishing a change of who may read or do what: it is appended to the membership
 * event log (end-to-end encryption reads it to re-key channel groups), then pushed
 * to the rooms concerned, which close the sockets of people who lost a channel and
 * tell the rest their new permissions. The change itself is already committed, so a
 * room that cannot be reached is logged, not fatal: rooms also re-read access
 * within a minute, and every request checks it.
 */
import type { Context } from "hono";
import { query } from "../db/index.ts";
import type { AppEnv } from "./context.ts";

export type AccessChangeKind =
  | "member.joined"
  | "member.left"
  | "member.kicked"
  | "member.banned"
  | "member.timed_out"
  | "member.timeout_lifted"
  | "member.roles_changed"
  | "roles.changed"
  | "channel.created"
  | "channel.changed"
  | "channel.deleted"
  | "community.deleted"
  | "dm.created"
  | "dm.left"
  | "dm.blocked"
  | "dm.unblocked";

export interface AccessChange {
  kind: AccessChangeKind;
  communityId: string | null;
  /** Set when one channel is concerned; otherwise every channel of the community is. */
  channelId?: string;
  /** The person concerned; null when the change touches everyone (a role or channel setting). */
  userId: string | null;
  details?: Record<string, unknown>;
  /** Rooms to notify when their channels are already gone from the database (a deletion). */
  channelIds?: string[];
}

/** Records the change and pushes it to the rooms; returns how many sockets were closed. */
export async function publishAccessChange(c: Context<AppEnv>, change: AccessChange): Promise<number> {
  const env = c.env;
  await query(env.DATABASE, "recordMembershipEvent", {
    communityId: change.communityId,
    channelId: change.channelId ?? null,
    userId: change.userId,
    kind: change.kind,
    details: change.details,
  });
  try {
    const channelIds =
      change.channelIds ??
      (change.channelId
        ? [change.channelId]
        : change.communityId
          ? await query(env.DATABASE, "channelIdsOfCommunity", { communityId: change.communityId })
          : []);
    if (change.userId) return await env.USER_SOCKETS.getByName(change.userId).accessChanged(change.userId, channelIds);
    const results = await Promise.allSettled(
      channelIds.map((channelId) => env.CHANNEL_ROOM.getByName(channelId).accessChanged(null)),
    );
    return results.reduce((closed, result) => closed + (result.status === "fulfilled" ? result.value : 0), 0);
  } catch (error) {
    console.error(`could not push an access change (${change.kind}) to the rooms: ${(error as Error).message}`);
    return 0;
  }
}
