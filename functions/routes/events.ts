/**
 * /api/events: the account socket, one per browser session (presence, activity for
 * unread badges, reads from other devices, lists that changed). Opened like a
 * channel socket: a one-minute ticket, then an upgrade whose verified identity the
 * user's own object trusts.
 */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import type { SocketTicketView } from "../../protocol/index.ts";
import { stampIdentity } from "../../rooms/index.ts";
import { rateLimit } from "../abuse.ts";
import type { AppEnv } from "../context.ts";
import { AppError, unauthorized } from "../errors.ts";
import { requireUser, sessionEnded } from "../middleware.ts";
import { offeredTicket, requireOwnUpgrade, spendTicket, upgradeAnswer } from "../socket-upgrade.ts";
import { issueSocketTicket, verifySocketTicket } from "../tokens.ts";

/** Tickets name what they open; this one opens the account socket. */
const EVENTS_TICKET_SCOPE = "account-events";
const TICKET_LIMIT = rateLimit("events-ticket", 60, 60);
const UPGRADE_LIMIT = rateLimit("events-upgrade", 60, 60);

export const events = new Hono<AppEnv>()
  .post("/socket-ticket", requireUser, TICKET_LIMIT, async (c) => {
    const subject = { userId: c.get("userId"), sessionId: c.get("sessionId") };
    const { ticket, expiresAt } = await issueSocketTicket(c.get("config"), subject, EVENTS_TICKET_SCOPE);
    return c.json({ ticket, expiresAt: expiresAt.toISOString() } satisfies SocketTicketView);
  })
  .get("/socket", UPGRADE_LIMIT, async (c) => {
    requireOwnUpgrade(c);
    const config = c.get("config");
    const ticket = offeredTicket(c);
    const subject = ticket ? await verifySocketTicket(config, ticket, EVENTS_TICKET_SCOPE) : null;
    if (!subject)
      throw unauthorized(
        "the socket ticket is missing, expired or for a channel: request a new one and offer it as the subprotocol chatalot.ticket.<ticket>",
      );
    await spendTicket(c.env, subject);
    const live = await query(c.env.DATABASE, "activeSession", subject);
    if (!live) throw await sessionEnded(c, subject);
    const member = { userId: live.user.id, username: live.user.username, sessionId: live.session.id };
    return upgradeAnswer(await c.env.USER_SOCKETS.getByName(member.userId).fetch(stampIdentity(c.req.raw, member)));
  });
