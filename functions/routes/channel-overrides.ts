/**
 * A channel's permission overrides, for a role or a member. Setting them needs
 * MANAGE_ROLES in the channel; nobody may allow or deny a permission they do not
 * hold, touch a role at or above their own, or a member who ranks as high as they do.
 * The editor saves several at once (`PUT /:channelId/overrides`), all or none.
 */
import { Hono, type Context } from "hono";
import { query } from "../../db/index.ts";
import {
  canGrant,
  overrideSchema,
  overridesSaveSchema,
  topPosition,
  uuidSchema,
  type MemberContext,
} from "../../protocol/index.ts";
import { toMemberContext } from "../../rooms/index.ts";
import { publishAccessChange } from "../access-changes.ts";
import {
  channelAccess,
  requireChannelPermission,
  requireCommunityChannel,
  type ChannelAccess,
} from "../channel-access.ts";
import { actOn, communityAccess } from "../community-access.ts";
import type { AppEnv } from "../context.ts";
import { AppError, notFound } from "../errors.ts";
import { flagsOf } from "../permission-flags.ts";
import { limitBody, requireUser } from "../middleware.ts";
import { parse, parseJson } from "../validation.ts";
import { overrideView } from "../views.ts";

async function managed(c: Context<AppEnv>) {
  const access: ChannelAccess = await channelAccess(c, c.req.param("channelId")!);
  requireCommunityChannel(access);
  requireChannelPermission(access, "MANAGE_ROLES", "change who may do what in this channel");
  return access;
}

async function readOverride(c: Context<AppEnv>, access: ChannelAccess) {
  const input = await parseJson(c, overrideSchema);
  const allow = flagsOf(input.allow);
  const deny = flagsOf(input.deny);
  if (!canGrant(access.permissions, allow | deny))
    throw new AppError(403, "missing_permission", "you cannot allow or deny permissions you do not hold");
  return { allow, deny };
}

/** A role of the channel's community that the actor ranks above (@everyone, at 0, is below everyone). */
async function roleBelow(c: Context<AppEnv>, communityId: string, actor: MemberContext, rawRoleId: string) {
  const roleId = parse(uuidSchema, rawRoleId);
  const role = (await query(c.env.DATABASE, "rolesOf", { communityId })).find((candidate) => candidate.id === roleId);
  if (!role) throw notFound("that role");
  if (role.position >= topPosition(actor))
    throw new AppError(403, "hierarchy", "you can only set overrides for roles below your highest role");
  return role;
}

// requireUser per route: this sub-app shares its parent's paths with the ticket-authenticated socket route.
export const channelOverrideRoutes = new Hono<AppEnv>()
  .get("/:channelId/overrides", requireUser, async (c) => {
    const access = await managed(c);
    const overrides = await query(c.env.DATABASE, "overridesOf", { channelId: access.context.channel.id });
    return c.json({ overrides: overrides.map(overrideView) });
  })
  .put("/:channelId/overrides/roles/:roleId", requireUser, limitBody, async (c) => {
    const access = await managed(c);
    if (access.context.scope !== "community") throw notFound("that channel");
    const { channel, member } = access.context;
    const roleId = parse(uuidSchema, c.req.param("roleId"));
    const roles = await query(c.env.DATABASE, "rolesOf", { communityId: channel.communityId! });
    const role = roles.find((candidate) => candidate.id === roleId);
    if (!role) throw notFound("that role");
    const actor = toMemberContext(member, c.get("userId"));
    // @everyone (position 0) is below every role; other roles must be below the actor's highest.
    if (role.position >= topPosition(actor))
      throw new AppError(403, "hierarchy", "you can only set overrides for roles below your highest role");
    const { allow, deny } = await readOverride(c, access);
    await query(c.env.DATABASE, "setOverride", { channelId: channel.id, target: { roleId }, allow, deny });
    await publishAccessChange(c, {
      kind: "roles.changed",
      communityId: channel.communityId,
      channelId: channel.id,
      userId: null,
      details: { roleId, allow, deny },
    });
    return c.body(null, 204);
  })
  .put("/:channelId/overrides/members/:userId", requireUser, limitBody, async (c) => {
    const access = await managed(c);
    if (access.context.scope !== "community") throw notFound("that channel");
    const { channel } = access.context;
    const community = await communityAccess(c, channel.communityId!);
    const target = await actOn(c, community, c.req.param("userId"));
    const { allow, deny } = await readOverride(c, access);
    await query(c.env.DATABASE, "setOverride", {
      channelId: channel.id,
      target: { userId: target.userId },
      allow,
      deny,
    });
    await publishAccessChange(c, {
      kind: "member.roles_changed",
      communityId: channel.communityId,
      channelId: channel.id,
      userId: target.userId,
      details: { allow, deny },
    });
    return c.body(null, 204);
  })
  .put("/:channelId/overrides", requireUser, limitBody, async (c) => {
    const access = await managed(c);
    if (access.context.scope !== "community") throw notFound("that channel");
    const { channel, member } = access.context;
    const communityId = channel.communityId!;
    const actor = toMemberContext(member, c.get("userId"));
    const input = await parseJson(c, overridesSaveSchema);
    const current = await query(c.env.DATABASE, "overridesOf", { channelId: channel.id });
    const community = await communityAccess(c, communityId);
    // Every override is checked before any is written: one refusal refuses the save.
    const overrides = [];
    for (const entry of input.overrides) {
      const target = entry.roleId
        ? { roleId: (await roleBelow(c, communityId, actor, entry.roleId)).id }
        : { userId: (await actOn(c, community, entry.userId!)).userId };
      const allow = flagsOf(entry.allow);
      const deny = flagsOf(entry.deny);
      const before = current.find((override) =>
        target.roleId ? override.roleId === target.roleId : override.userId === target.userId,
      );
      // Only what changes needs to be held: a switch one cannot set may stay as it was.
      const changed = (allow ^ (before?.allow ?? 0)) | (deny ^ (before?.deny ?? 0));
      if (!canGrant(access.permissions, changed))
        throw new AppError(403, "missing_permission", "you cannot allow or deny permissions you do not hold");
      overrides.push({ target, allow, deny });
    }
    await query(c.env.DATABASE, "saveOverrides", { channelId: channel.id, overrides });
    await publishAccessChange(c, {
      kind: "roles.changed",
      communityId,
      channelId: channel.id,
      userId: null,
      details: { overrides: overrides.length },
    });
    const saved = await query(c.env.DATABASE, "overridesOf", { channelId: channel.id });
    return c.json({ overrides: saved.map(overrideView) });
  })
  .delete("/:channelId/overrides/roles/:roleId", requireUser, async (c) => {
    const access = await managed(c);
    if (access.context.scope !== "community") throw notFound("that channel");
    const { channel, member } = access.context;
    const role = await roleBelow(
      c,
      channel.communityId!,
      toMemberContext(member, c.get("userId")),
      c.req.param("roleId"),
    );
    const before = (await query(c.env.DATABASE, "overridesOf", { channelId: channel.id })).find(
      (override) => override.roleId === role.id,
    );
    if (!before) throw notFound("that override");
    if (!canGrant(access.permissions, before.allow | before.deny))
      throw new AppError(403, "missing_permission", "you cannot remove an override of permissions you do not hold");
    await query(c.env.DATABASE, "setOverride", {
      channelId: channel.id,
      target: { roleId: role.id },
      allow: 0,
      deny: 0,
    });
    await publishAccessChange(c, {
      kind: "roles.changed",
      communityId: channel.communityId,
      channelId: channel.id,
      userId: null,
      details: { roleId: role.id, removed: true },
    });
    return c.body(null, 204);
  })
  .delete("/:channelId/overrides/members/:userId", requireUser, async (c) => {
    const access = await managed(c);
    if (access.context.scope !== "community") throw notFound("that channel");
    const { channel } = access.context;
    const target = await actOn(c, await communityAccess(c, channel.communityId!), c.req.param("userId"));
    const before = (await query(c.env.DATABASE, "overridesOf", { channelId: channel.id })).find(
      (override) => override.userId === target.userId,
    );
    if (!before) throw notFound("that override");
    if (!canGrant(access.permissions, before.allow | before.deny))
      throw new AppError(403, "missing_permission", "you cannot remove an override of permissions you do not hold");
    await query(c.env.DATABASE, "setOverride", {
      channelId: channel.id,
      target: { userId: target.userId },
      allow: 0,
      deny: 0,
    });
    await publishAccessChange(c, {
      kind: "member.roles_changed",
      communityId: channel.communityId,
      channelId: channel.id,
      userId: target.userId,
      details: { removed: true },
    });
    return c.body(null, 204);
  });
