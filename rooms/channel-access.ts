/**
 * From a loaded channel context to the permission flags one person holds there.
 * The HTTP handlers and the rooms both call this, so a route and a socket frame
 * can never disagree about what someone may do.
 */
import type { ChannelContextRecord, MemberContextRecord } from "../db/index.ts";
import {
  channelPermissions,
  directPermissions,
  type ChannelContext,
  type MemberContext,
  type Override,
} from "../protocol/index.ts";

export function toMemberContext(record: MemberContextRecord, userId: string): MemberContext {
  return {
    isOwner: record.community.ownerId === userId,
    everyone: record.everyone,
    roles: record.roles,
    timedOutUntil: record.timedOutUntil ? new Date(record.timedOutUntil).getTime() : null,
  };
}

export function toChannelContext(
  channel: { isArchived: boolean; isReadOnly: boolean },
  overrides: { roleId: string | null; userId: string | null; allow: number; deny: number }[],
  userId: string,
): ChannelContext {
  const roleOverrides: Record<string, Override> = {};
  let memberOverride: Override | null = null;
  for (const override of overrides) {
    if (override.roleId) roleOverrides[override.roleId] = { allow: override.allow, deny: override.deny };
    else if (override.userId === userId) memberOverride = { allow: override.allow, deny: override.deny };
  }
  return { isArchived: channel.isArchived, isReadOnly: channel.isReadOnly, roleOverrides, memberOverride };
}

/** The flags `userId` holds in the channel at time `now` (0: the channel is invisible to them). */
export function permissionsIn(context: ChannelContextRecord, userId: string, now: number): number {
  if (context.scope === "direct") return directPermissions(context.isBlocked);
  return channelPermissions(
    toMemberContext(context.member, userId),
    toChannelContext(context.channel, context.overrides, userId),
    now,
  );
}
