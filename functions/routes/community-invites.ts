/**
 * Community invites: created by those who may (CREATE_INVITES), listed and revoked
 * by those who manage the community, accepted by anyone signed in who is not banned.
 */
import { Hono } from "hono";
import { query, type QueryOutput } from "../../db/index.ts";
import {
  acceptInviteSchema,
  communityInviteSchema,
  uuidSchema,
  type CommunityInvitePreview,
  type CommunityInviteView,
} from "../../protocol/index.ts";
import { communityAccess, requirePermission } from "../community-access.ts";
import { communityView } from "../community-views.ts";
import { publishAccessChange } from "../access-changes.ts";
import type { AppEnv } from "../context.ts";
import { AppError, notFound } from "../errors.ts";
import { limitBody, requireUser } from "../middleware.ts";
import { rateLimit } from "../abuse.ts";
import { hashCode, INVITE_CODE_GROUPS, readableCode } from "../secrets.ts";
import { parse, parseJson } from "../validation.ts";
import { inviteView } from "../views.ts";

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;

const communityInviteView = (invite: QueryOutput<"createCommunityInvite">): CommunityInviteView => ({
  ...inviteView(invite),
  createdBy: invite.createdBy,
});

export const communityInviteRoutes = new Hono<AppEnv>()
  .post("/:communityId/invites", limitBody, async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "CREATE_INVITES", "create invites");
    const input = await parseJson(c, communityInviteSchema);
    const lifetimeMs = input.expiresInMinutes
      ? input.expiresInMinutes * MINUTE_MS
      : input.expiresInHours
        ? input.expiresInHours * HOUR_MS
        : null;
    const code = readableCode(INVITE_CODE_GROUPS);
    const invite = await query(c.env.DATABASE, "createCommunityInvite", {
      communityId: access.record.community.id,
      codeHash: await hashCode(code),
      createdBy: c.get("userId"),
      expiresAt: lifetimeMs ? new Date(Date.now() + lifetimeMs) : null,
      maxUses: input.maxUses ?? null,
    });
    await query(c.env.DATABASE, "recordCommunityAudit", {
      communityId: access.record.community.id,
      actorId: c.get("userId"),
      action: "invite.created",
      targetUserId: null,
      reason: null,
      details: { inviteId: invite.id, maxUses: invite.maxUses, expiresAt: invite.expiresAt?.toISOString() ?? null },
    });
    return c.json(
      { invite: communityInviteView(invite), code, link: `${c.get("config").PUBLIC_URL}/join/${code}` },
      201,
    );
  })
  .get("/:communityId/invites", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_COMMUNITY", "see the invites");
    const invites = await query(c.env.DATABASE, "communityInvitesOf", { communityId: access.record.community.id });
    return c.json({ invites: invites.map(communityInviteView) });
  })
  .delete("/:communityId/invites/:inviteId", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_COMMUNITY", "revoke invites");
    const inviteId = parse(uuidSchema, c.req.param("inviteId"));
    if (
      !(await query(c.env.DATABASE, "revokeCommunityInvite", { communityId: access.record.community.id, inviteId }))
    ) {
      throw notFound("that invite");
    }
    await query(c.env.DATABASE, "recordCommunityAudit", {
      communityId: access.record.community.id,
      actorId: c.get("userId"),
      action: "invite.revoked",
      targetUserId: null,
      reason: null,
      details: { inviteId },
    });
    return c.body(null, 204);
  });

/**
 * GET /api/community-invites/:code: the community a usable invite leads to (name, icon,
 * how many are in it), for the /join page of someone signed in; POST /accept joins it.
 */
export const acceptCommunityInvite = new Hono<AppEnv>()
  .get("/:code", requireUser, rateLimit("invite-preview", 60, 60 * 60), async (c) => {
    const { code } = parse(acceptInviteSchema, { code: c.req.param("code") });
    const preview = await query(c.env.DATABASE, "communityInvitePreview", { codeHash: await hashCode(code) });
    if (!preview) throw new AppError(404, "invalid_invite", "that invite is unknown, expired, revoked or used up");
    const view = communityView(preview.community);
    const answer: CommunityInvitePreview = {
      community: { id: view.id, name: view.name, iconUrl: view.iconUrl },
      memberCount: preview.memberCount,
    };
    return c.json(answer);
  })
  .post("/accept", requireUser, rateLimit("join", 30, 60 * 60), limitBody, async (c) => {
    const { code } = await parseJson(c, acceptInviteSchema);
    const result = await query(c.env.DATABASE, "acceptCommunityInvite", {
      codeHash: await hashCode(code),
      userId: c.get("userId"),
    });
    if (!result.ok && result.reason === "banned")
      throw new AppError(403, "banned", "you are banned from that community");
    if (!result.ok) throw new AppError(404, "invalid_invite", "that invite is unknown, expired, revoked or used up");
    if (!result.isAlreadyMember) {
      await publishAccessChange(c, {
        kind: "member.joined",
        communityId: result.community.id,
        userId: c.get("userId"),
      });
    }
    return c.json({ community: communityView(result.community), isAlreadyMember: result.isAlreadyMember });
  });
