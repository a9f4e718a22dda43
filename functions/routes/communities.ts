/**
 * /api/communities: create, list, read, edit, delete, transfer and leave
 * communities, and list their members. Every route but create and list goes
 * through `communityAccess`, so a non-member finds nothing.
 */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import {
  createCommunitySchema,
  DEFAULT_EVERYONE_PERMISSIONS,
  has,
  Permission,
  membershipEventsQuerySchema,
  transferSchema,
  updateCommunitySchema,
} from "../../protocol/index.ts";
import { communityAccess, requirePermission } from "../community-access.ts";
import { communityView, memberViewFor, permissionNames, roleView, timeoutReasonReader } from "../community-views.ts";
import { permissionsIn } from "../../rooms/index.ts";
import { publishAccessChange } from "../access-changes.ts";
import { communityChanges, tellCommunityChanged } from "../community-changes.ts";
import type { AppEnv } from "../context.ts";
import { instanceSettings } from "../instance-settings.ts";
import { communityAudit } from "./community-audit.ts";
import { communityChannels } from "./community-channels.ts";
import { communityInviteRoutes } from "./community-invites.ts";
import { communityModeration } from "./community-moderation.ts";
import { communityPictures } from "./pictures.ts";
import { communityRoles } from "./community-roles.ts";
import { AppError } from "../errors.ts";
import { removeDiscarded } from "../file-removal.ts";
import { limitBody, requireUser } from "../middleware.ts";
import { parse, parseJson } from "../validation.ts";
import { membershipEventView } from "../views.ts";

const MEMBER_PAGE = 500;

export const communities = new Hono<AppEnv>()
  .use(requireUser)
  .get("/", async (c) => {
    const mine = await query(c.env.DATABASE, "communitiesForUser", { userId: c.get("userId") });
    return c.json({ communities: mine.map(communityView) });
  })
  .post("/", limitBody, async (c) => {
    if ((await instanceSettings(c)).communityCreationMode === "admin_only" && !c.get("user").isAdmin) {
      throw new AppError(
        403,
        "community_creation_closed",
        "only instance admins may create communities on this server",
      );
    }
    const input = await parseJson(c, createCommunitySchema);
    const community = await query(c.env.DATABASE, "createCommunity", {
      name: input.name,
      description: input.description ?? null,
      ownerId: c.get("userId"),
      everyonePermissions: DEFAULT_EVERYONE_PERMISSIONS,
    });
    // The owner is its first member: their account socket starts following it.
    await publishAccessChange(c, { kind: "member.joined", communityId: community.id, userId: c.get("userId") });
    return c.json({ community: communityView(community) }, 201);
  })
  .get("/:communityId", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    const roles = await query(c.env.DATABASE, "rolesOf", { communityId: access.record.community.id });
    return c.json({
      community: communityView(access.record.community),
      myPermissions: permissionNames(access.permissions),
      roles: roles.map(roleView),
    });
  })
  .patch("/:communityId", limitBody, async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_COMMUNITY", "edit the community");
    const changes = await parseJson(c, updateCommunitySchema);
    if (Object.keys(changes).length === 0)
      throw new AppError(400, "invalid_request", "change at least one of name, description, icon");
    const before = access.record.community;
    const community = await query(c.env.DATABASE, "updateCommunity", { communityId: before.id, ...changes });
    await query(c.env.DATABASE, "recordCommunityAudit", {
      communityId: before.id,
      actorId: c.get("userId"),
      action: "community.updated",
      targetUserId: null,
      reason: null,
      details: communityChanges(before, community),
    });
    await tellCommunityChanged(c, before.id);
    return c.json({ community: communityView(community) });
  })
  .delete("/:communityId", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    if (!access.member.isOwner) throw new AppError(403, "owner_only", "only the owner may delete the community");
    const communityId = access.record.community.id;
    // Read before the cascade removes them: these rooms must close their sockets.
    const channelIds = await query(c.env.DATABASE, "channelIdsOfCommunity", { communityId });
    const deleted = await query(c.env.DATABASE, "deleteCommunity", { communityId });
    await removeDiscarded(c.env, { uploads: deleted.discarded, pictureIds: deleted.pictureIds });
    await publishAccessChange(c, { kind: "community.deleted", communityId, userId: null, channelIds });
    return c.body(null, 204);
  })
  .post("/:communityId/transfer", limitBody, async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    if (!access.member.isOwner) throw new AppError(403, "owner_only", "only the owner may hand the community over");
    const { userId } = await parseJson(c, transferSchema);
    const communityId = access.record.community.id;
    if (!(await query(c.env.DATABASE, "transferOwnership", { communityId, newOwnerId: userId }))) {
      throw new AppError(404, "not_found", "the new owner must be a member of the community");
    }
    await query(c.env.DATABASE, "recordCommunityAudit", {
      communityId,
      actorId: c.get("userId"),
      action: "community.transferred",
      targetUserId: userId,
      reason: null,
    });
    // The new owner holds every permission now, the old one only their roles'.
    for (const changed of [userId, c.get("userId")]) {
      await publishAccessChange(c, { kind: "member.roles_changed", communityId, userId: changed });
    }
    return c.body(null, 204);
  })
  .post("/:communityId/leave", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    if (access.member.isOwner)
      throw new AppError(409, "owner_must_transfer", "hand the community to another member before leaving it");
    const left = await query(c.env.DATABASE, "removeMember", {
      communityId: access.record.community.id,
      userId: c.get("userId"),
    });
    if (left === "owner")
      throw new AppError(409, "owner_must_transfer", "hand the community to another member before leaving it");
    await query(c.env.DATABASE, "recordCommunityAudit", {
      communityId: access.record.community.id,
      actorId: c.get("userId"),
      action: "member.left",
      targetUserId: c.get("userId"),
      reason: null,
    });
    await publishAccessChange(c, {
      kind: "member.left",
      communityId: access.record.community.id,
      userId: c.get("userId"),
    });
    return c.body(null, 204);
  })
  .get("/:communityId/members", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    const members = await query(c.env.DATABASE, "membersOf", {
      communityId: access.record.community.id,
      limit: MEMBER_PAGE,
    });
    return c.json({ members: members.map(memberViewFor(timeoutReasonReader(c.get("userId"), access.permissions))) });
  })
  /** The membership event log, in order, for members' clients (end-to-end encryption re-keys from it). */
  .get("/:communityId/membership-events", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    const { after, limit } = parse(membershipEventsQuerySchema, c.req.query());
    const communityId = access.record.community.id;
    const events = await query(c.env.DATABASE, "membershipEventsAfter", { communityId, afterId: after, limit });
    // A member learns nothing here about channels they cannot view, and only those who
    // manage roles or the community see the details (which permissions, which reason).
    const layout = await query(c.env.DATABASE, "communityLayout", { communityId });
    const visible = new Set(
      layout.channels
        .filter((channel) => {
          const overrides = layout.overrides.filter((override) => override.channelId === channel.id);
          const context = { scope: "community" as const, channel, member: access.record, overrides };
          return has(permissionsIn(context, c.get("userId"), Date.now()), Permission.VIEW_CHANNEL);
        })
        .map((channel) => channel.id),
    );
    const mayReadDetails =
      has(access.permissions, Permission.MANAGE_ROLES) || has(access.permissions, Permission.MANAGE_COMMUNITY);
    return c.json({
      events: events
        .filter((event) => event.channelId === null || visible.has(event.channelId))
        .map((event) => membershipEventView(mayReadDetails ? event : { ...event, details: null })),
      // Paging goes on past events left out, so a client never asks for them again.
      lastId: events.at(-1)?.id ?? after,
    });
  })
  // Mounted inside this sub-app so they share its one requireUser.
  .route("/", communityAudit)
  .route("/", communityChannels)
  .route("/", communityInviteRoutes)
  .route("/", communityRoles)
  .route("/", communityModeration)
  .route("/", communityPictures);
