/**
 * GET /api/calls/ice-servers: the STUN and TURN servers a signed-in person's browser
 * gives RTCPeerConnection, with short-lived TURN REST credentials made for them. Without
 * a TURN secret the server cannot make credentials, so it hands out the STUN entries only.
 */
import { Hono } from "hono";
import type { IceServersView, IceServerView } from "../../protocol/index.ts";
import { userRateLimit } from "../abuse.ts";
import type { Config } from "../config.ts";
import type { AppEnv } from "../context.ts";
import { requireUser } from "../middleware.ts";
import { turnCredential } from "../turn-credentials.ts";

/** The port of docker-compose.yml's turn profile (TURN_PORT); TURN_URLS names another. */
const DEFAULT_TURN_PORT = 3478;

/** A page asks before each join and each ICE restart; far more is a loop or a credential harvest. */
const ICE_SERVERS_LIMIT = userRateLimit("ice-servers", 60, 60);

export const iceServers = new Hono<AppEnv>().get("/", requireUser, ICE_SERVERS_LIMIT, async (c) => {
  const config = c.get("config");
  const urls = iceUrls(config);
  const stun = urls.filter((url) => url.startsWith("stun"));
  const turn = urls.filter((url) => url.startsWith("turn"));
  const entries: IceServerView[] = stun.length > 0 ? [{ urls: stun }] : [];
  if (!config.TURN_SECRET || turn.length === 0)
    return c.json({ iceServers: entries, expiresAt: null } satisfies IceServersView);
  const { username, credential, expiresAt } = await turnCredential(config.TURN_SECRET, c.get("userId"));
  entries.push({ urls: turn, username, credential });
  return c.json({ iceServers: entries, expiresAt: expiresAt.toISOString() } satisfies IceServersView);
});

/**
 * TURN_URLS, or the turn profile's relay on PUBLIC_URL's host: STUN, and TURN over UDP
 * and over TCP (for networks that block UDP; the relayed media is UDP either way).
 */
function iceUrls(config: Config): string[] {
  if (config.TURN_URLS) return config.TURN_URLS;
  const host = new URL(config.PUBLIC_URL).hostname;
  return [
    `stun:${host}:${DEFAULT_TURN_PORT}`,
    `turn:${host}:${DEFAULT_TURN_PORT}?transport=udp`,
    `turn:${host}:${DEFAULT_TURN_PORT}?transport=tcp`,
  ];
}
