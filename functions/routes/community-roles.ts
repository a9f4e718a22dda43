/**
 * Roles in a community: create, edit, delete, give and take away. Nobody may
 * touch a role at or above their own highest, nor grant a permission they lack.
 */
import { Hono, type Context } from "hono";
import { query, type RoleRecord } from "../../db/index.ts";
import { canGrant, roleSchema, topPosition, updateRoleSchema, uuidSchema } from "../../protocol/index.ts";
import { actOn, communityAccess, requirePermission, type CommunityAccess } from "../community-access.ts";
import { roleView } from "../community-views.ts";
import { publishAccessChange } from "../access-changes.ts";
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
    refuseUnlessBelow(access, input.position);
    refuseUngrantable(access, permissions);
    const role = await query(c.env.DATABASE, "createRole", {
      communityId: access.record.community.id,
      name: input.name,
      position: input.position,
      permissions,
    });
    return c.json({ role: roleView(role) }, 201);
  })
  .patch("/:communityId/roles/:roleId", limitBody, async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_ROLES", "edit roles");
    const role = await roleIn(c, access, c.req.param("roleId"));
    const input = await parseJson(c, updateRoleSchema);
    if (Object.keys(input).length === 0)
      throw new AppError(400, "invalid_request", "change at least one of name, permissions, position");
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
    });
    if (!updated) throw notFound("that role");
    await publishAccessChange(c, {
      kind: "roles.changed",
      communityId: access.record.community.id,
      userId: null,
      details: { roleId: role.id },
    });
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
    return c.body(null, 204);
  });
