/**
 * Community invites: created by those who may (CREATE_INVITES), listed and revoked
 * by those who manage the community, accepted by anyone signed in who is not banned.
 */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import {
  acceptInviteSchema,
  communityInviteSchema,
  uuidSchema,
  type CommunityInvitePreview,
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

const HOUR_MS = 60 * 60 * 1000;

export const communityInviteRoutes = new Hono<AppEnv>()
  .post("/:communityId/invites", limitBody, async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "CREATE_INVITES", "create invites");
    const input = await parseJson(c, communityInviteSchema);
    const code = readableCode(INVITE_CODE_GROUPS);
    const invite = await query(c.env.DATABASE, "createCommunityInvite", {
      communityId: access.record.community.id,
      codeHash: await hashCode(code),
      createdBy: c.get("userId"),
      expiresAt: input.expiresInHours ? new Date(Date.now() + input.expiresInHours * HOUR_MS) : null,
      maxUses: input.maxUses ?? null,
    });
    return c.json({ invite: inviteView(invite), code, link: `${c.get("config").PUBLIC_URL}/join/${code}` }, 201);
  })
  .get("/:communityId/invites", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_COMMUNITY", "see the invites");
    const invites = await query(c.env.DATABASE, "communityInvitesOf", { communityId: access.record.community.id });
    return c.json({ invites: invites.map(inviteView) });
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
