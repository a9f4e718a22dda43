/**
 * Publishing a change of who may read or do what: it is appended to the membership
 * event log (end-to-end encryption reads it to re-key channel groups), then pushed
 * to the rooms concerned, which close the sockets of people who lost a channel and
 * tell the rest their new permissions. The change itself is already committed, so a
 * room that cannot be reached is logged, not fatal: a room re-reads a person's
 * access at their next frame after a minute, and everyone's every ACCESS_RECHECK_MS
 * (rooms/channel-room.ts); every request checks it.
 */
import type { Context } from "hono";
import { errorText, log, query } from "../db/index.ts";
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

/** Membership of a community changed: the person's account sockets follow other hubs now. */
const COMMUNITY_MEMBERSHIP_KINDS = new Set<AccessChangeKind>([
  "member.joined",
  "member.left",
  "member.kicked",
  "member.banned",
]);
/** What members see of the community's channels changed: their clients fetch the list again. */
const CHANNEL_LIST_KINDS = new Set<AccessChangeKind>([
  "channel.created",
  "channel.changed",
  "channel.deleted",
  "roles.changed",
  "member.roles_changed",
]);

/** Records the change, tells account sockets and pushes it to the rooms; returns how many sockets were closed. */
export async function publishAccessChange(c: Context<AppEnv>, change: AccessChange): Promise<number> {
  const env = c.env;
  // The change is committed: the rooms hear of it even if its log entry cannot be written
  // (that failure is still the request's, after the push).
  const recorded = await query(env.DATABASE, "recordMembershipEvent", {
    communityId: change.communityId,
    channelId: change.channelId ?? null,
    userId: change.userId,
    kind: change.kind,
    details: change.details,
  }).then(
    () => null,
    (error: unknown) => ({ error }),
  );
  const closed = await pushAccessChange(env, change);
  if (recorded) throw recorded.error;
  return closed;
}

async function pushAccessChange(env: Env, change: AccessChange): Promise<number> {
  await tellAccounts(env, change).catch((error: Error) =>
    log.warn("account_sockets_not_told", { change: change.kind, error: error.message }),
  );
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
    log.error("access_change_not_pushed", { change: change.kind, error: errorText(error) });
    return 0;
  }
}

/**
 * Changes that may alter who reads a community's channels: members' open clients look at
 * their channels' MLS groups again (`rooms/device-changes.ts`), so a newcomer's devices are
 * added and a leaver's removed while the channel is open, not at its next opening.
 */
const READER_KINDS = new Set<AccessChangeKind>([
  ...COMMUNITY_MEMBERSHIP_KINDS,
  "member.roles_changed",
  "roles.changed",
  "channel.changed",
]);

/** A time-out shows in the member list and in the person's own composer (until when, why). */
const TIMEOUT_KINDS = new Set<AccessChangeKind>(["member.timed_out", "member.timeout_lifted"]);

/** The lists a client shows (communities, channels, DMs) that this change made stale. */
async function tellAccounts(env: Env, change: AccessChange): Promise<void> {
  if (change.userId && COMMUNITY_MEMBERSHIP_KINDS.has(change.kind)) {
    await env.USER_SOCKETS.getByName(change.userId).communitiesChanged(change.userId);
    if (change.communityId) {
      await env.COMMUNITY_HUB.getByName(change.communityId).changed({
        type: "changed",
        scope: "members",
        communityId: change.communityId,
      });
    }
  }
  if (change.kind === "community.deleted" && change.communityId) {
    await env.COMMUNITY_HUB.getByName(change.communityId).changed({ type: "changed", scope: "communities" });
  } else if (CHANNEL_LIST_KINDS.has(change.kind) && change.communityId) {
    const frame = { type: "changed", scope: "channels", communityId: change.communityId } as const;
    if (change.userId) await env.USER_SOCKETS.getByName(change.userId).push(frame);
    else await env.COMMUNITY_HUB.getByName(change.communityId).changed(frame);
  }
  if (TIMEOUT_KINDS.has(change.kind) && change.communityId) {
    await env.COMMUNITY_HUB.getByName(change.communityId).changed({
      type: "changed",
      scope: "members",
      communityId: change.communityId,
    });
  }
  if (READER_KINDS.has(change.kind) && change.communityId) {
    await env.COMMUNITY_HUB.getByName(change.communityId).changed({
      type: "changed",
      scope: "e2ee",
      communityId: change.communityId,
    });
  }
  if (change.kind === "dm.created" || change.kind === "dm.left") {
    const participants =
      (change.details?.participants as string[] | undefined) ?? (change.userId ? [change.userId] : []);
    await Promise.allSettled(
      participants.map((userId) => env.USER_SOCKETS.getByName(userId).push({ type: "changed", scope: "dms" })),
    );
  }
}
