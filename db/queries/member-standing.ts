/**
 * A member's standing in a community (its roles, the ones they hold, a time-out)
 * loaded as fields of a larger select, so `memberContext` and `channelContext` are
 * one statement each. Helpers for the query modules, not a module of queries.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { communities, memberRoles, roles } from "../schema.ts";
import { decodeRows, jsonRows } from "./json-rows.ts";

type CommunityRecord = typeof communities.$inferSelect;
type RoleRecord = typeof roles.$inferSelect;

export interface MemberContextRecord {
  community: CommunityRecord;
  everyone: RoleRecord;
  roles: RoleRecord[];
  timedOutUntil: Date | null;
}

/**
 * The community's roles and the ids of those the member holds, as fields of the
 * caller's select (the expressions name the outer query's community and user).
 */
export function standingFields(communityId: AnyPgColumn | SQL, userId: AnyPgColumn | SQL) {
  return {
    roles: jsonRows(roles, eq(roles.communityId, communityId)),
    heldRoleIds: sql<string[]>`(select coalesce(json_agg(${memberRoles.roleId}), '[]'::json) from ${memberRoles}
      where ${memberRoles.communityId} = ${communityId} and ${memberRoles.userId} = ${userId})`,
  };
}

export function toMemberContext(
  community: CommunityRecord,
  timedOutUntil: Date | null,
  standing: { roles: unknown; heldRoleIds: string[] },
): MemberContextRecord {
  const all = decodeRows(roles, standing.roles);
  const held = new Set(standing.heldRoleIds);
  return {
    community,
    everyone: all.find((role) => role.isEveryone)!,
    roles: all.filter((role) => held.has(role.id)),
    timedOutUntil,
  };
}
