/**
 * The one door into a community: load it through the caller's membership (a
 * non-member finds nothing: 404), compute their permissions with the shared
 * function, and check the hierarchy before acting on someone.
 */
import type { Context } from "hono";
import { query, type MemberContextRecord } from "../db/index.ts";
import {
  canActOn,
  communityPermissions,
  has,
  Permission,
  uuidSchema,
  type MemberContext,
  type PermissionName,
} from "../protocol/index.ts";
import { toMemberContext } from "../rooms/index.ts";
import type { AppEnv } from "./context.ts";
import { AppError, notFound } from "./errors.ts";

export interface CommunityAccess {
  record: MemberContextRecord;
  member: MemberContext;
  permissions: number;
}

export async function communityAccess(c: Context<AppEnv>, rawCommunityId: string): Promise<CommunityAccess> {
  const id = uuidSchema.safeParse(rawCommunityId);
  const record = id.success
    ? await query(c.env.DATABASE, "memberContext", { communityId: id.data, userId: c.get("userId") })
    : null;
  if (!record) throw notFound("that community");
  const member = toMemberContext(record, c.get("userId"));
  return { record, member, permissions: communityPermissions(member) };
}

export function requirePermission(access: CommunityAccess, name: PermissionName, toDo: string): void {
  if (!has(access.permissions, Permission[name])) {
    throw new AppError(403, "missing_permission", `you need the ${name.toLowerCase()} permission to ${toDo}`);
  }
}

/** The member `userId` of the same community, after checking the caller ranks above them. */
export async function actOn(
  c: Context<AppEnv>,
  access: CommunityAccess,
  rawUserId: string,
): Promise<MemberContext & { userId: string }> {
  const id = uuidSchema.safeParse(rawUserId);
  const record = id.success
    ? await query(c.env.DATABASE, "memberContext", { communityId: access.record.community.id, userId: id.data })
    : null;
  if (!record) throw notFound("that member");
  const target = toMemberContext(record, id.data!);
  if (id.data === c.get("userId") || !canActOn(access.member, target)) {
    throw new AppError(403, "hierarchy", "you can only act on members whose highest role is below yours");
  }
  return { ...target, userId: id.data! };
}
