/**
 * Roles in a community: create, edit, reorder, delete, give and take away. Nobody may
 * touch a role at or above their own highest, nor grant a permission they lack. Every
 * change is told to the community's open clients (role-changes.ts), so colours and the
 * member list's groups follow at once.
 */
import { Hono, type Context } from "hono";
import { query, type RoleRecord } from "../../db/index.ts";
import {
  canGrant,
  Permission,
  has,
  roleOrderSchema,
  roleSchema,
  topPosition,
  updateRoleSchema,
  uuidSchema,
  type CommunityOverridesView,
} from "../../protocol/index.ts";
import { permissionsIn } from "../../rooms/index.ts";
import { actOn, communityAccess, requirePermission, type CommunityAccess } from "../community-access.ts";
import { roleView } from "../community-views.ts";
import { publishAccessChange } from "../access-changes.ts";
import { tellRolesChanged } from "../role-changes.ts";
import { overrideView } from "../views.ts";
import type { AppEnv } from "../context.ts";
import { flagsOf } from "../permission-flags.ts";
import { AppError, notFound } from "../errors.ts";
import { limitBody } from "../middleware.ts";
import { parse, parseJson } from "../validation.ts";

function refuseUnlessBelow(access: CommunityAccess, position: number): void {
  if (position >= topPosition(access.member))
    throw new AppError(403, "hierarchy", "you can only manage roles below your highest role");
}

function refuseUngrantable(access: CommunityAccess, flags: number): void {
  if (!canGrant(access.permissions, flags))
    throw new AppError(403, "missing_permission", "you cannot grant permissions you do not hold");
}

async function roleIn(c: Context<AppEnv>, access: CommunityAccess, rawRoleId: string): Promise<RoleRecord> {
  const id = uuidSchema.safeParse(rawRoleId);
  const role = id.success
    ? (await query(c.env.DATABASE, "rolesOf", { communityId: access.record.community.id })).find(
        (candidate) => candidate.id === id.data,
      )
    : undefined;
  if (!role) throw notFound("that role");
  return role;
}

/**
 * The positions a reorder gives, only those that change. `roleIds` lists every role but
 * @everyone, the most senior first. Roles at or above the actor's highest must stay as
 * they are, at the top; those below are numbered from the bottom up (1, 2, ...), which
 * keeps them below the actor's.
 */
function newPositions(
  access: CommunityAccess,
  current: RoleRecord[],
  roleIds: string[],
): { roleId: string; position: number }[] {
  const known = new Map(current.map((role) => [role.id, role]));
  if (
    roleIds.length !== current.length ||
    new Set(roleIds).size !== roleIds.length ||
    roleIds.some((id) => !known.has(id))
  )
    throw new AppError(400, "invalid_request", "list every role but @everyone exactly once, the most senior first");
  const top = topPosition(access.member);
  const locked = current.filter((role) => role.position >= top);
  if (locked.some((role, index) => roleIds[index] !== role.id))
    throw new AppError(403, "hierarchy", "you can only move roles below your highest role");
  const movable = roleIds.slice(locked.length);
  if (movable.length >= top)
    throw new AppError(409, "conflict", "there is no room below your highest role for that order: ask someone above");
  return movable
    .map((roleId, index) => ({ roleId, position: movable.length - index }))
    .filter(({ roleId, position }) => known.get(roleId)!.position !== position);
}

export const communityRoles = new Hono<AppEnv>()
  .get("/:communityId/roles", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    const roles = await query(c.env.DATABASE, "rolesOf", { communityId: access.record.community.id });
    return c.json({ roles: roles.map(roleView) });
  })
  .post("/:communityId/roles", limitBody, async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_ROLES", "create roles");
    const input = await parseJson(c, roleSchema);
    const permissions = flagsOf(input.permissions);
    // Without a position the role goes at the bottom, below everyone's.
    if (input.position !== undefined) refuseUnlessBelow(access, input.position);
    refuseUngrantable(access, permissions);
    const role = await query(c.env.DATABASE, "createRole", {
      communityId: access.record.community.id,
      name: input.name,
      position: input.position,
      permissions,
      color: input.color ?? null,
      hoist: input.hoist ?? false,
    });
    await tellRolesChanged(c, access.record.community.id);
    return c.json({ role: roleView(role) }, 201);
  })
  .put("/:communityId/roles/order", limitBody, async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_ROLES", "reorder roles");
    const { roleIds } = await parseJson(c, roleOrderSchema);
    const communityId = access.record.community.id;
    const current = (await query(c.env.DATABASE, "rolesOf", { communityId })).filter((role) => !role.isEveryone);
    const positions = newPositions(access, current, roleIds);
    if (positions.length > 0 && !(await query(c.env.DATABASE, "setRolePositions", { communityId, positions })))
      throw new AppError(409, "conflict", "the roles changed meanwhile: look at the list again and retry");
    await tellRolesChanged(c, communityId);
    const roles = await query(c.env.DATABASE, "rolesOf", { communityId });
    return c.json({ roles: roles.map(roleView) });
  })
  .get("/:communityId/overrides", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_ROLES", "see the channels' permissions");
    const layout = await query(c.env.DATABASE, "communityLayout", { communityId: access.record.community.id });
    const now = Date.now();
    // Only the channels the caller sees: a preview must not reveal the others.
    const channels = layout.channels.flatMap((channel) => {
      const overrides = layout.overrides.filter((override) => override.channelId === channel.id);
      const context = { scope: "community" as const, channel, member: access.record, overrides };
      return has(permissionsIn(context, c.get("userId"), now), Permission.VIEW_CHANNEL)
        ? [{ channelId: channel.id, overrides: overrides.map(overrideView) }]
        : [];
    });
    return c.json({ channels } satisfies CommunityOverridesView);
  })
  .patch("/:communityId/roles/:roleId", limitBody, async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_ROLES", "edit roles");
    const role = await roleIn(c, access, c.req.param("roleId"));
    const input = await parseJson(c, updateRoleSchema);
    if (Object.keys(input).length === 0)
      throw new AppError(400, "invalid_request", "change at least one of name, permissions, position, color, hoist");
    refuseUnlessBelow(access, role.position);
    if (role.isEveryone && (input.name !== undefined || input.position !== undefined)) {
      throw new AppError(400, "invalid_request", "@everyone keeps its name and position; only its permissions change");
    }
    if (input.position !== undefined) refuseUnlessBelow(access, input.position);
    const permissions = input.permissions ? flagsOf(input.permissions) : undefined;
    // Only what is being added needs to be held; what the role already had may stay.
    if (permissions !== undefined) refuseUngrantable(access, permissions & ~role.permissions);
    const updated = await query(c.env.DATABASE, "updateRole", {
      communityId: access.record.community.id,
      roleId: role.id,
      name: input.name,
      position: input.position,
      permissions,
      color: input.color,
      hoist: input.hoist,
    });
    if (!updated) throw notFound("that role");
    // A new name, colour or grouping changes how members look, not what anyone may read.
    if (permissions !== undefined && permissions !== role.permissions) {
      await publishAccessChange(c, {
        kind: "roles.changed",
        communityId: access.record.community.id,
        userId: null,
        details: { roleId: role.id },
      });
    }
    await tellRolesChanged(c, access.record.community.id);
    return c.json({ role: roleView(updated) });
  })
  .delete("/:communityId/roles/:roleId", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_ROLES", "delete roles");
    const role = await roleIn(c, access, c.req.param("roleId"));
    refuseUnlessBelow(access, role.position);
    if (role.isEveryone) throw new AppError(400, "invalid_request", "@everyone cannot be deleted");
    await query(c.env.DATABASE, "deleteRole", { communityId: access.record.community.id, roleId: role.id });
    await publishAccessChange(c, {
      kind: "roles.changed",
      communityId: access.record.community.id,
      userId: null,
      details: { roleId: role.id, deleted: true },
    });
    await tellRolesChanged(c, access.record.community.id, { isAssignment: true });
    return c.body(null, 204);
  })
  .put("/:communityId/members/:userId/roles/:roleId", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_ROLES", "give roles");
    const role = await roleIn(c, access, c.req.param("roleId"));
    refuseUnlessBelow(access, role.position);
    if (role.isEveryone) throw new AppError(400, "invalid_request", "everyone holds @everyone already");
    // Giving a role grants its permissions: only those one holds.
    refuseUngrantable(access, role.permissions);
    const target = await actOn(c, access, c.req.param("userId"));
    await query(c.env.DATABASE, "assignRole", {
      communityId: access.record.community.id,
      userId: target.userId,
      roleId: role.id,
    });
    await publishAccessChange(c, {
      kind: "member.roles_changed",
      communityId: access.record.community.id,
      userId: target.userId,
      details: { added: role.id },
    });
    await tellRolesChanged(c, access.record.community.id, { isAssignment: true });
    return c.body(null, 204);
  })
  .delete("/:communityId/members/:userId/roles/:roleId", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_ROLES", "take roles away");
    const role = await roleIn(c, access, c.req.param("roleId"));
    refuseUnlessBelow(access, role.position);
    const target = await actOn(c, access, parse(uuidSchema, c.req.param("userId")));
    await query(c.env.DATABASE, "unassignRole", {
      communityId: access.record.community.id,
      userId: target.userId,
      roleId: role.id,
    });
    await publishAccessChange(c, {
      kind: "member.roles_changed",
      communityId: access.record.community.id,
      userId: target.userId,
      details: { removed: role.id },
    });
    await tellRolesChanged(c, access.record.community.id, { isAssignment: true });
    return c.body(null, 204);
  });
