/**
 * Starting a session after a successful sign-in or registration: a new refresh
 * token (cookie), a session row, and a 15-minute access token naming both.
 */
import type { Context } from "hono";
import { query, type UserRecord } from "../db/index.ts";
import type { SessionView } from "../protocol/index.ts";
import type { AppEnv } from "./context.ts";
import { rememberDevice } from "./known-clients.ts";
import { setRefreshCookie } from "./refresh-cookie.ts";
import { hashToken, opaqueToken } from "./secrets.ts";
import { issueAccessToken } from "./tokens.ts";
import { userView } from "./views.ts";

const DEVICE_NAME_MAX = 64;

export async function startSession(c: Context<AppEnv>, user: UserRecord, deviceName?: string): Promise<SessionView> {
  const refreshToken = opaqueToken();
  const client = c.get("client");
  const session = await query(c.env.DATABASE, "createSession", {
    userId: user.id,
    tokenHash: await hashToken(refreshToken),
    deviceName: deviceName?.slice(0, DEVICE_NAME_MAX) ?? null,
    userAgent: client.userAgent,
    ip: client.ip,
  });
  setRefreshCookie(c, refreshToken);
  await rememberDevice(c, user.id);
  return accessFor(c, user, session.id);
}

export async function accessFor(c: Context<AppEnv>, user: UserRecord, sessionId: string): Promise<SessionView> {
  const { token, expiresAt } = await issueAccessToken(c.get("config"), { userId: user.id, sessionId });
  return { user: userView(user), accessToken: token, expiresAt: expiresAt.toISOString(), sessionId };
}
