/** Community records in their wire shapes. */
import type { CommunityRecord, CustomStatusRecord, RoleRecord } from "../db/index.ts";
import { permissionNames, type CommunityView, type MemberView, type RoleView } from "../protocol/index.ts";
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

export const memberView = (member: {
  userId: string;
  username: string;
  avatarId: string | null;
  displayName: string | null;
  pronouns: string | null;
  customStatus: CustomStatusRecord | null;
  joinedAt: Date;
  timedOutUntil: Date | null;
  roleIds: string[];
}): MemberView => ({
  userId: member.userId,
  username: member.username,
  displayName: member.displayName,
  pronouns: member.pronouns,
  customStatus: customStatusView(member.customStatus),
  avatarUrl: pictureUrl(member.avatarId),
  joinedAt: new Date(member.joinedAt).toISOString(),
  timedOutUntil: member.timedOutUntil ? new Date(member.timedOutUntil).toISOString() : null,
  roleIds: member.roleIds,
});
