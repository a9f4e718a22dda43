/**
 * A channel's permission overrides, for a role or a member. Setting them needs
 * MANAGE_ROLES in the channel; nobody may allow or deny a permission they do not
 * hold, touch a role at or above their own, or a member who ranks as high as they do.
 */
import { Hono, type Context } from "hono";
import { query } from "../../db/index.ts";
import { canGrant, overrideSchema, topPosition, uuidSchema } from "../../protocol/index.ts";
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
  });
