/** Turning database records into the protocol's wire shapes. */
import type {
  AuditRecord,
  CategoryRecord,
  ChannelRecord,
  CustomStatusRecord,
  DirectParticipant,
  InviteRecord,
  MembershipEventRecord,
  OverrideRecord,
  SessionRecord,
  UserRecord,
} from "../db/index.ts";
import { liveCustomStatus } from "../db/index.ts";
import {
  permissionNames,
  type AuditEventView,
  type CategoryView,
  type ChannelKind,
  type ChannelView,
  type CustomStatusView,
  type DeviceSessionView,
  type InviteView,
  type MembershipEventView,
  type NewcomerHistory,
  type OverrideView,
  type UserView,
} from "../protocol/index.ts";

export { messageView } from "../rooms/index.ts";

const iso = (date: Date | string | null) => (date === null ? null : new Date(date).toISOString());

export const customStatusView = (status: CustomStatusRecord | null): CustomStatusView | null =>
  status && { text: status.text, emoji: status.emoji, expiresAt: iso(status.expiresAt) };

/** A picture's address (docs/files.md, "Pictures"): its random id is what lets one load it. */
export const pictureUrl = (pictureId: string | null) => (pictureId ? `/api/pictures/${pictureId}` : null);

export const userView = (user: UserRecord): UserView => ({
  id: user.id,
  username: user.username,
  isAdmin: user.isAdmin,
  displayName: user.displayName,
  bio: user.bio,
  pronouns: user.pronouns,
  customStatus: customStatusView(liveCustomStatus(user)),
  hasTwoFactor: user.totpEnabled,
  avatarUrl: pictureUrl(user.avatarId),
});

export const channelView = (
  channel: ChannelRecord,
  permissions: number,
  participants?: DirectParticipant[],
): ChannelView => ({
  id: channel.id,
  name: channel.name,
  kind: channel.kind as ChannelKind,
  communityId: channel.communityId,
  categoryId: channel.categoryId,
  topic: channel.topic,
  position: channel.position,
  isArchived: channel.isArchived,
  isReadOnly: channel.isReadOnly,
  slowModeSeconds: channel.slowModeSeconds,
  newcomerHistory: channel.newcomerHistory as NewcomerHistory,
  lastSeq: channel.lastSeq,
  createdAt: iso(channel.createdAt)!,
  myPermissions: permissionNames(permissions),
  ...(participants
    ? { participants: participants.map(({ avatarId, ...person }) => ({ ...person, avatarUrl: pictureUrl(avatarId) })) }
    : {}),
});

export const categoryView = (category: CategoryRecord): CategoryView => ({
  id: category.id,
  name: category.name,
  position: category.position,
});

export const overrideView = (override: OverrideRecord): OverrideView => ({
  roleId: override.roleId,
  userId: override.userId,
  allow: permissionNames(override.allow),
  deny: permissionNames(override.deny),
});

export const deviceSessionView = (session: SessionRecord, currentId: string): DeviceSessionView => ({
  id: session.id,
  deviceName: session.deviceName,
  userAgent: session.userAgent,
  ip: session.ip,
  createdAt: iso(session.createdAt)!,
  lastSeenAt: iso(session.lastSeenAt)!,
  isCurrent: session.id === currentId,
});

export const inviteView = (invite: InviteRecord): InviteView => ({
  id: invite.id,
  expiresAt: iso(invite.expiresAt),
  maxUses: invite.maxUses,
  uses: invite.uses,
  revokedAt: iso(invite.revokedAt),
  createdAt: iso(invite.createdAt)!,
});

export const auditEventView = (event: AuditRecord): AuditEventView => ({
  id: event.id,
  at: iso(event.at)!,
  action: event.action,
  actorId: event.actorId,
  targetUserId: event.targetUserId,
  ip: event.ip,
  userAgent: event.userAgent,
  details: event.details,
});

export const membershipEventView = (event: MembershipEventRecord): MembershipEventView => ({
  id: event.id,
  at: iso(event.at)!,
  kind: event.kind,
  channelId: event.channelId,
  userId: event.userId,
  details: event.details,
});
