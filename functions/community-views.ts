/** Community records in their wire shapes. */
import type { CommunityRecord, CustomStatusRecord, RoleRecord } from "../db/index.ts";
import {
  has,
  Permission,
  permissionNames,
  type CommunityView,
  type MemberView,
  type RoleView,
} from "../protocol/index.ts";
import { customStatusView, pictureUrl } from "./views.ts";

export { permissionNames } from "../protocol/index.ts";

export const communityView = (community: CommunityRecord): CommunityView => ({
  id: community.id,
  name: community.name,
  description: community.description,
  icon: community.icon,
  // An uploaded icon wins over the old inline one (communities made before pictures).
  iconUrl: pictureUrl(community.iconId) ?? community.icon,
  bannerUrl: pictureUrl(community.bannerId),
  ownerId: community.ownerId,
  createdAt: new Date(community.createdAt).toISOString(),
});

export const roleView = (role: RoleRecord): RoleView => ({
  id: role.id,
  name: role.name,
  position: role.position,
  permissions: permissionNames(role.permissions),
  isEveryone: role.isEveryone,
  color: role.color,
  hoist: role.hoist,
});

/** What a member row holds (db/queries/communities.ts `membersOf`). */
interface MemberRecord {
  userId: string;
  username: string;
  avatarId: string | null;
  displayName: string | null;
  pronouns: string | null;
  customStatus: CustomStatusRecord | null;
  joinedAt: Date;
  timedOutUntil: Date | null;
  timeoutReason?: string | null;
  roleIds: string[];
}

/**
 * Members as one viewer may see them. A time-out's reason is for the person timed out
 * and for those who may time people out, not for everyone (`timeoutReasonReader`).
 */
export const memberViewFor =
  (mayReadTimeoutReason: (userId: string) => boolean) =>
  (member: MemberRecord): MemberView => ({
    userId: member.userId,
    username: member.username,
    displayName: member.displayName,
    pronouns: member.pronouns,
    customStatus: customStatusView(member.customStatus),
    avatarUrl: pictureUrl(member.avatarId),
    joinedAt: new Date(member.joinedAt).toISOString(),
    timedOutUntil: member.timedOutUntil ? new Date(member.timedOutUntil).toISOString() : null,
    timeoutReason: member.timedOutUntil && mayReadTimeoutReason(member.userId) ? (member.timeoutReason ?? null) : null,
    roleIds: member.roleIds,
  });

/** A member with no time-out reason: for lists whose viewer is not known to be allowed it. */
export const memberView = memberViewFor(() => false);

/** Who may read a time-out's reason: the person timed out, and those who may time people out. */
export const timeoutReasonReader =
  (viewerId: string, viewerPermissions: number) =>
  (userId: string): boolean =>
    userId === viewerId || has(viewerPermissions, Permission.TIMEOUT_MEMBERS);
