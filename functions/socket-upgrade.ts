/**
 * What every WebSocket route checks: that this is an upgrade, that a browser's Origin
 * is ours (browsers always send Origin on upgrades; refusing foreign ones stops
 * cross-site pages from riding a user's ticket; non-browser clients send none), and
 * the socket ticket: carried in the WebSocket subprotocol header, never in the URL
 * (where reverse-proxy logs would keep it), and spent on first use.
 */
import type { Context } from "hono";
import { SOCKET_PROTOCOL, SOCKET_TICKET_PROTOCOL_PREFIX } from "../protocol/index.ts";
import { allowedOrigins, wrongAddress } from "./config.ts";
import type { AppEnv } from "./context.ts";
import { AppError, unauthorized } from "./errors.ts";

export function requireOwnUpgrade(c: Context<AppEnv>): void {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new AppError(426, "upgrade_required", "this route only accepts WebSocket upgrades");
  }
  const origin = c.req.header("Origin");
  if (origin && !allowedOrigins(c.get("config")).includes(origin)) {
    throw new AppError(403, "origin_not_allowed", wrongAddress(origin, c.get("config").PUBLIC_URL));
  }
}

/** The ticket the client offered as a subprotocol, or undefined. */
export function offeredTicket(c: Context<AppEnv>): string | undefined {
  const offered = (c.req.header("Sec-WebSocket-Protocol") ?? "").split(",").map((protocol) => protocol.trim());
  return offered
    .find((protocol) => protocol.startsWith(SOCKET_TICKET_PROTOCOL_PREFIX))
    ?.slice(SOCKET_TICKET_PROTOCOL_PREFIX.length);
}

/**
 * Spends a verified ticket: a second upgrade with the same one (a copy from a log, a
 * replay from another address within its minute) is refused. The person's UserSockets
 * object remembers the tickets spent until they expire.
 */
export async function spendTicket(
  env: Env,
  ticket: { userId: string; ticketId: string; expiresAtMs: number },
): Promise<void> {
  const isFresh = await env.USER_SOCKETS.getByName(ticket.userId).spendTicket(ticket.ticketId, ticket.expiresAtMs);
  if (!isFresh) throw unauthorized("this socket ticket was used already: request a new one");
}

/** The room's 101, with the subprotocol selected (a client that offered protocols needs one back). */
export function upgradeAnswer(upgrade: Response): Response {
  const headers = new Headers(upgrade.headers);
  if (upgrade.status === 101) headers.set("Sec-WebSocket-Protocol", SOCKET_PROTOCOL);
  return new Response(upgrade.body, { status: upgrade.status, headers, webSocket: upgrade.webSocket });
}
