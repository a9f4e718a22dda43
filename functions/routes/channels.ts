/**
 * /api/channels/:channelId: one channel, reached only through `channelAccess`
 * (a channel one cannot view answers 404): read it, change its settings, delete
 * it, its permission overrides, its history, and its socket. The socket route is
 * the single door into a room: it verifies the ticket and the caller's access, and
 * stamps the verified identity on the forwarded upgrade; the room trusts only that.
 */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import { updateChannelSchema, type SocketTicketView } from "../../protocol/index.ts";
import { forwardToRoom } from "../../rooms/index.ts";
import { rateLimit } from "../abuse.ts";
import { publishAccessChange } from "../access-changes.ts";
import { channelAccess, requireChannelPermission, requireCommunityChannel } from "../channel-access.ts";
import type { AppEnv } from "../context.ts";
import { AppError, unauthorized } from "../errors.ts";
import { removeDiscarded } from "../file-removal.ts";
import { limitBody, requireUser } from "../middleware.ts";
import { issueSocketTicket, verifySocketTicket } from "../tokens.ts";
import { offeredTicket, requireOwnUpgrade, spendTicket, upgradeAnswer } from "../socket-upgrade.ts";
import { parseJson } from "../validation.ts";
import { channelView } from "../views.ts";
import { channelCalls } from "./channel-calls.ts";
import { channelHistory } from "./channel-history.ts";
import { channelMls } from "./channel-mls.ts";
import { channelOverrideRoutes } from "./channel-overrides.ts";

/** Opening sockets costs a session check and a room; a client needs a handful a minute. */
const TICKET_LIMIT = rateLimit("socket-ticket", 120, 60);
const UPGRADE_LIMIT = rateLimit("socket-upgrade", 120, 60);

const nameTaken = (name: string) => new AppError(409, "channel_exists", `a channel named #${name} already exists here`);
const noSuchCategory = () => new AppError(404, "not_found", "that category does not exist in this community");

export const channels = new Hono<AppEnv>()
  .get("/:channelId", requireUser, async (c) => {
    const access = await channelAccess(c, c.req.param("channelId"));
    const participants = access.context.scope === "direct" ? access.context.participants : undefined;
    return c.json({ channel: channelView(access.context.channel, access.permissions, participants) });
  })
  .patch("/:channelId", requireUser, limitBody, async (c) => {
    const access = await channelAccess(c, c.req.param("channelId"));
    requireCommunityChannel(access);
    requireChannelPermission(access, "MANAGE_CHANNELS", "change this channel");
    const changes = await parseJson(c, updateChannelSchema);
    if (Object.keys(changes).length === 0) throw new AppError(400, "invalid_request", "change at least one setting");
    const { channel } = access.context;
    const result = await query(c.env.DATABASE, "updateChannel", {
      channelId: channel.id,
      communityId: channel.communityId!,
      ...changes,
    });
    if (!result.ok) throw result.reason === "name_taken" ? nameTaken(changes.name!) : noSuchCategory();
    await query(c.env.DATABASE, "recordCommunityAudit", {
      communityId: channel.communityId!,
      actorId: c.get("userId"),
      action: "channel.changed",
      targetUserId: null,
      reason: null,
      details: { channelId: channel.id, ...changes },
    });
    // Archive, read-only and slow mode are enforced by the room: it must re-read them now.
    await publishAccessChange(c, {
      kind: "channel.changed",
      communityId: channel.communityId,
      channelId: channel.id,
      userId: null,
    });
    return c.json({ channel: channelView(result.channel, access.permissions) });
  })
  .delete("/:channelId", requireUser, async (c) => {
    const access = await channelAccess(c, c.req.param("channelId"));
    requireCommunityChannel(access);
    requireChannelPermission(access, "MANAGE_CHANNELS", "delete this channel");
    const { channel } = access.context;
    const deleted = await query(c.env.DATABASE, "deleteChannel", {
      channelId: channel.id,
      communityId: channel.communityId!,
    });
    if (deleted) await removeDiscarded(c.env, { uploads: deleted.discarded });
    await query(c.env.DATABASE, "recordCommunityAudit", {
      communityId: channel.communityId!,
      actorId: c.get("userId"),
      action: "channel.deleted",
      targetUserId: null,
      reason: null,
      details: { channelId: channel.id, name: channel.name },
    });
    await publishAccessChange(c, {
      kind: "channel.deleted",
      communityId: channel.communityId,
      channelId: channel.id,
      userId: null,
    });
    return c.body(null, 204);
  })
  .route("/", channelHistory)
  .route("/", channelMls)
  .route("/", channelCalls)
  .post("/:channelId/socket-ticket", requireUser, TICKET_LIMIT, async (c) => {
    const access = await channelAccess(c, c.req.param("channelId"));
    const subject = { userId: c.get("userId"), sessionId: c.get("sessionId"), username: c.get("user").username };
    const { ticket, expiresAt } = await issueSocketTicket(c.get("config"), subject, access.context.channel.id);
    return c.json({ ticket, expiresAt: expiresAt.toISOString() } satisfies SocketTicketView);
  })
  .get("/:channelId/socket", UPGRADE_LIMIT, async (c) => {
    requireOwnUpgrade(c);
    const channelId = c.req.param("channelId");
    const ticket = offeredTicket(c);
    const subject = ticket ? await verifySocketTicket(c.get("config"), ticket, channelId) : null;
    if (!subject?.username) {
      throw unauthorized(
        "the socket ticket is missing, expired or for another channel: request a new one and offer it as the subprotocol chatalot.ticket.<ticket>",
      );
    }
    await spendTicket(c.env, subject);
    // The ticket was issued after an access check a minute ago at most. The room checks the
    // session and the access again, after registering the socket, in one statement: a kick
    // or a revocation since then either sees the socket registered or is seen by that check.
    const member = { userId: subject.userId, username: subject.username, sessionId: subject.sessionId };
    // A Durable Object's response has immutable headers; re-wrapped, so middleware can add its own.
    return upgradeAnswer(await forwardToRoom(c.env, channelId, c.req.raw, member));
  })
  .route("/", channelOverrideRoutes);
