/**
 * The member list's groups, as Discord's: online members under their highest hoisted
 * role (most senior role first), the other online members under "Online", then
 * everyone offline under "Offline"; empty groups are left out, names sorted in each.
 */
import type { MemberView, RoleView, ShownStatus } from "../../../protocol/index.ts";
import { hoistedRoleOf } from "./roles.ts";

export interface MemberGroup {
  /** A role's id, "online" or "offline". */
  key: string;
  title: string;
  /** The hoisted role's colour (0xRRGGBB) for a role's group, else null. */
  color: number | null;
  members: MemberView[];
}

export function groupMembers(
  members: readonly MemberView[],
  roles: readonly RoleView[],
  statusOf: (userId: string) => ShownStatus,
  nameOf: (member: MemberView) => string,
): MemberGroup[] {
  const byName = (a: MemberView, b: MemberView) => nameOf(a).localeCompare(nameOf(b));
  const online = members.filter((member) => statusOf(member.userId) !== "offline");
  const hoisted = roles.filter((role) => role.hoist && !role.isEveryone);
  const groups: MemberGroup[] = hoisted.map((role) => ({
    key: role.id,
    title: role.name,
    color: role.color,
    members: online.filter((member) => hoistedRoleOf(roles, member)?.id === role.id).sort(byName),
  }));
  groups.push({
    key: "online",
    title: "Online",
    color: null,
    members: online.filter((member) => hoistedRoleOf(roles, member) === null).sort(byName),
  });
  groups.push({
    key: "offline",
    title: "Offline",
    color: null,
    members: members.filter((member) => statusOf(member.userId) === "offline").sort(byName),
  });
  return groups.filter((group) => group.members.length > 0);
}
