/**
 * Community permissions: the flags, and the one function that decides what a
 * member may do in a channel. Runtime-free, so the server enforces it (handlers
 * and rooms alike) and the browser uses the same answer to show or hide controls.
 *
 * Order of evaluation (the model Discord made familiar):
 * 1. the owner and holders of ADMINISTRATOR may do everything (but see 4);
 * 2. base = @everyone's permissions | every role the member holds;
 * 3. the channel's overrides: @everyone's, then all of the member's roles' (their
 *    denies, then their allows), then the member's own; an allow beats a deny at
 *    the same level, and a more specific level beats a broader one;
 * 4. state that no role lifts: a timed-out member cannot send, react or speak; an
 *    archived channel is read-only for everyone; a read-only channel lets only those
 *    who may manage it send.
 */

export const Permission = {
  VIEW_CHANNEL: 1 << 0,
  SEND_MESSAGES: 1 << 1,
  ATTACH_FILES: 1 << 2,
  ADD_REACTIONS: 1 << 3,
  MENTION_EVERYONE: 1 << 4,
  MANAGE_MESSAGES: 1 << 5,
  MANAGE_CHANNELS: 1 << 6,
  MANAGE_ROLES: 1 << 7,
  MANAGE_COMMUNITY: 1 << 8,
  CREATE_INVITES: 1 << 9,
  KICK_MEMBERS: 1 << 10,
  BAN_MEMBERS: 1 << 11,
  TIMEOUT_MEMBERS: 1 << 12,
  CONNECT: 1 << 13,
  SPEAK: 1 << 14,
  VIDEO: 1 << 15,
  ADMINISTRATOR: 1 << 16,
} as const;

export type PermissionName = keyof typeof Permission;
export const ALL_PERMISSIONS = Object.values(Permission).reduce((all, flag) => all | flag, 0);

/** What a new community's @everyone may do. */
export const DEFAULT_EVERYONE_PERMISSIONS =
  Permission.VIEW_CHANNEL |
  Permission.SEND_MESSAGES |
  Permission.ATTACH_FILES |
  Permission.ADD_REACTIONS |
  Permission.CREATE_INVITES |
  Permission.CONNECT |
  Permission.SPEAK |
  Permission.VIDEO;

/** Taken away while a member is timed out, whatever their roles say. */
const TIMEOUT_REMOVES =
  Permission.SEND_MESSAGES | Permission.ADD_REACTIONS | Permission.ATTACH_FILES | Permission.SPEAK | Permission.VIDEO;
/** Taken away in an archived channel, from everyone. */
const ARCHIVE_REMOVES =
  Permission.SEND_MESSAGES |
  Permission.ADD_REACTIONS |
  Permission.ATTACH_FILES |
  Permission.SPEAK |
  Permission.VIDEO |
  Permission.CONNECT;
/** Taken away in a read-only channel from those who cannot manage it. */
const READ_ONLY_REMOVES = Permission.SEND_MESSAGES | Permission.ADD_REACTIONS | Permission.ATTACH_FILES;

export interface Role {
  id: string;
  /** Higher is more senior; @everyone is 0. */
  position: number;
  permissions: number;
}

export interface Override {
  allow: number;
  deny: number;
}

export interface MemberContext {
  isOwner: boolean;
  everyone: Role;
  /** The member's roles, not including @everyone. */
  roles: Role[];
  /** Unix milliseconds until which the member is timed out, or null. */
  timedOutUntil: number | null;
}

export interface ChannelContext {
  isArchived: boolean;
  isReadOnly: boolean;
  /** Overrides by role id (including @everyone's id). */
  roleOverrides: Record<string, Override>;
  /** Overrides by user id; the member's own is looked up by `userId`. */
  memberOverride: Override | null;
}

/** The permissions a member holds in the community, before any channel. */
export function communityPermissions(member: MemberContext): number {
  if (member.isOwner) return ALL_PERMISSIONS;
  const base = member.roles.reduce((all, role) => all | role.permissions, member.everyone.permissions);
  return base & Permission.ADMINISTRATOR ? ALL_PERMISSIONS : base;
}

/** The permissions a member holds in one channel, at time `now`. */
export function channelPermissions(member: MemberContext, channel: ChannelContext, now: number): number {
  let permissions = communityPermissions(member);
  const isAllPowerful = permissions === ALL_PERMISSIONS;
  if (!isAllPowerful) {
    const everyone = channel.roleOverrides[member.everyone.id];
    if (everyone) permissions = (permissions & ~everyone.deny) | everyone.allow;
    let roleDeny = 0;
    let roleAllow = 0;
    for (const role of member.roles) {
      const override = channel.roleOverrides[role.id];
      if (override) {
        roleDeny |= override.deny;
        roleAllow |= override.allow;
      }
    }
    permissions = (permissions & ~roleDeny) | roleAllow;
    if (channel.memberOverride)
      permissions = (permissions & ~channel.memberOverride.deny) | channel.memberOverride.allow;
    // Without VIEW_CHANNEL nothing else in the channel applies.
    if (!(permissions & Permission.VIEW_CHANNEL)) return 0;
  }
  if (member.timedOutUntil !== null && member.timedOutUntil > now && !member.isOwner) permissions &= ~TIMEOUT_REMOVES;
  if (channel.isArchived) permissions &= ~ARCHIVE_REMOVES;
  if (channel.isReadOnly && !(permissions & Permission.MANAGE_CHANNELS)) permissions &= ~READ_ONLY_REMOVES;
  return permissions;
}

export const has = (permissions: number, flag: number): boolean => (permissions & flag) === flag;

/** The member's most senior role position (0 for @everyone only; Infinity for the owner). */
export function topPosition(member: Pick<MemberContext, "isOwner" | "roles">): number {
  if (member.isOwner) return Number.POSITIVE_INFINITY;
  return member.roles.reduce((top, role) => Math.max(top, role.position), 0);
}

/** The hierarchy rule: one may act only on members whose top role is strictly lower. */
export function canActOn(
  actor: Pick<MemberContext, "isOwner" | "roles">,
  target: Pick<MemberContext, "isOwner" | "roles">,
): boolean {
  return !target.isOwner && topPosition(actor) > topPosition(target);
}

/** One may only grant (in a role or an override) permissions one holds, and only to roles below one's own. */
export function canGrant(actorPermissions: number, granted: number): boolean {
  return (granted & ~actorPermissions) === 0;
}

/** What each participant may do in a direct conversation: there are no roles there. */
export const DIRECT_PERMISSIONS =
  Permission.VIEW_CHANNEL |
  Permission.SEND_MESSAGES |
  Permission.ATTACH_FILES |
  Permission.ADD_REACTIONS |
  Permission.CONNECT |
  Permission.SPEAK |
  Permission.VIDEO;

/** A participant's permissions in a DM: after a block either way, the history stays readable but nothing new goes in. */
export function directPermissions(isBlocked: boolean): number {
  return isBlocked ? Permission.VIEW_CHANNEL : DIRECT_PERMISSIONS;
}

/** The names of the flags set in `flags`, for the wire. */
export const permissionNames = (flags: number): PermissionName[] =>
  (Object.keys(Permission) as PermissionName[]).filter((name) => (flags & Permission[name]) === Permission[name]);

/** What each permission allows, one sentence each, for the roles and channel permission editors. */
export const PERMISSION_EXPLANATIONS: Record<PermissionName, string> = {
  VIEW_CHANNEL: "See channels and read their messages.",
  SEND_MESSAGES: "Write messages in text channels.",
  ATTACH_FILES: "Upload files and images with messages.",
  ADD_REACTIONS: "Add new emoji reactions to messages.",
  MENTION_EVERYONE: "Use @everyone and @here, and mention any role.",
  MANAGE_MESSAGES: "Delete and pin other people's messages.",
  MANAGE_CHANNELS: "Create, edit, reorder and delete channels and categories.",
  MANAGE_ROLES: "Create and edit roles below one's own, give them out and set channel permissions.",
  MANAGE_COMMUNITY: "Change the community's name, description and icon, and read its audit log.",
  CREATE_INVITES: "Create invite links for others to join.",
  KICK_MEMBERS: "Remove members below one's own highest role; they may rejoin with an invite.",
  BAN_MEMBERS: "Ban members below one's own highest role, and lift bans.",
  TIMEOUT_MEMBERS: "Stop members below one's own highest role from writing, reacting or speaking for a while.",
  CONNECT: "Join voice channels and calls.",
  SPEAK: "Be heard in voice channels and calls.",
  VIDEO: "Share one's camera or screen in voice channels and calls.",
  ADMINISTRATOR: "Every permission, in every channel, whatever the overrides say. Give it with care.",
};
