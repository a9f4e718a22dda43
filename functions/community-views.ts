/** Community records in their wire shapes. */
import type { CommunityRecord, RoleRecord } from "../db/index.ts";
import { permissionNames, type CommunityView, type MemberView, type RoleView } from "../protocol/index.ts";

export { permissionNames } from "../protocol/index.ts";

export const communityView = (community: CommunityRecord): CommunityView => ({
  id: community.id,
  name: community.name,
  description: community.description,
  icon: community.icon,
  ownerId: community.ownerId,
  createdAt: new Date(community.createdAt).toISOString(),
});

export const roleView = (role: RoleRecord): RoleView => ({
  id: role.id,
  name: role.name,
  position: role.position,
  permissions: permissionNames(role.permissions),
  isEveryone: role.isEveryone,
});

export const memberView = (member: {
  userId: string;
  username: string;
  joinedAt: Date;
  timedOutUntil: Date | null;
  roleIds: string[];
}): MemberView => ({
  userId: member.userId,
  username: member.username,
  joinedAt: new Date(member.joinedAt).toISOString(),
  timedOutUntil: member.timedOutUntil ? new Date(member.timedOutUntil).toISOString() : null,
  roleIds: member.roleIds,
});
