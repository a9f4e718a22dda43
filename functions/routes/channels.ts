/**
 * /api/channels: list and create channels, read history, and open a channel's
 * socket. The socket route is the single door into a room: it verifies the ticket
 * and stamps the verified identity on the forwarded upgrade; the room trusts only that.
 */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import { createChannelSchema, historyQuerySchema, uuidSchema, type SocketTicketView } from "../../protocol/index.ts";
import { forwardToRoom } from "../../rooms/index.ts";
import { allowedOrigins } from "../config.ts";
import { rateLimit } from "../abuse.ts";
import type { AppEnv } from "../context.ts";
import { AppError, notFound, unauthorized } from "../errors.ts";
import { limitBody, requireUser } from "../middleware.ts";
import { issueSocketTicket, verifySocketTicket } from "../tokens.ts";
import { parse, parseJson } from "../validation.ts";
import { channelView, messageView } from "../views.ts";

/** Opening sockets costs a session check and a room; a client needs a handful a minute. */
const TICKET_LIMIT = rateLimit("socket-ticket", 120, 60);
const UPGRADE_LIMIT = rateLimit("socket-upgrade", 120, 60);

export const channels = new Hono<AppEnv>()
  .get("/", requireUser, async (c) => {
    const all = await query(c.env.DATABASE, "allChannels", {});
    return c.json({ channels: all.map(channelView) });
  })
  .post("/", requireUser, limitBody, async (c) => {
    const { name } = await parseJson(c, createChannelSchema);
    const result = await query(c.env.DATABASE, "createChannel", { name, createdBy: c.get("userId") });
    if (!result.ok) throw new AppError(409, "channel_exists", `a channel named #${name} already exists`);
    return c.json({ channel: channelView(result.channel) }, 201);
  })
  .get("/:channelId/messages", requireUser, async (c) => {
    const channel = await existingChannel(c.env, c.req.param("channelId"));
    const { before, limit } = parse(historyQuerySchema, c.req.query());
    const page = await query(c.env.DATABASE, "messagesBefore", {
      channelId: channel.id,
      beforeSeq: before ?? null,
      limit,
    });
    return c.json({ messages: page.map(messageView) });
  })
  .post("/:channelId/socket-ticket", requireUser, TICKET_LIMIT, async (c) => {
    const channel = await existingChannel(c.env, c.req.param("channelId"));
    const subject = { userId: c.get("userId"), sessionId: c.get("sessionId") };
    const { ticket, expiresAt } = await issueSocketTicket(c.get("config"), subject, channel.id);
    return c.json({ ticket, expiresAt: expiresAt.toISOString() } satisfies SocketTicketView);
  })
  .get("/:channelId/socket", UPGRADE_LIMIT, async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
      throw new AppError(426, "upgrade_required", "this route only accepts WebSocket upgrades");
    }
    const config = c.get("config");
    const origin = c.req.header("Origin");
    // Browsers always send Origin on upgrades; refusing foreign ones stops
    // cross-site pages from riding a user's ticket. Non-browser clients send none.
    if (origin && !allowedOrigins(config).includes(origin)) {
      throw new AppError(403, "origin_not_allowed", "WebSocket connections are only accepted from PUBLIC_URL");
    }
    const channelId = parse(uuidSchema, c.req.param("channelId"));
    const ticket = c.req.query("ticket");
    const subject = ticket ? await verifySocketTicket(config, ticket, channelId) : null;
    if (!subject) throw unauthorized("the socket ticket is missing, expired or for another channel: request a new one");
    const live = await query(c.env.DATABASE, "activeSession", subject);
    if (!live) throw new AppError(401, "session_ended", "this session has ended: sign in again");
    const member = { userId: live.user.id, username: live.user.username, sessionId: live.session.id };
    const upgrade = await forwardToRoom(c.env, channelId, c.req.raw, member);
    // A Durable Object's response has immutable headers; re-wrap it so middleware can add its own.
    return new Response(upgrade.body, {
      status: upgrade.status,
      headers: upgrade.headers,
      webSocket: upgrade.webSocket,
    });
  });

async function existingChannel(env: Env, rawId: string) {
  const id = uuidSchema.safeParse(rawId);
  const channel = id.success ? await query(env.DATABASE, "channelById", { id: id.data }) : null;
  if (!channel) throw notFound("that channel");
  return channel;
}
