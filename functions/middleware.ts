/** Middleware shared by the routes: configuration, client, authentication, CSRF, body limits. */
import { bodyLimit } from "hono/body-limit";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { query } from "../db/index.ts";
import { HTTP_BODY_MAX_BYTES } from "../protocol/index.ts";
import { clientAddress } from "./client-address.ts";
import { allowedOrigins, readConfig, wrongAddress } from "./config.ts";
import type { AppEnv } from "./context.ts";
import { AppError, unauthorized } from "./errors.ts";
import { isElevated, verifyAccessToken } from "./tokens.ts";

const USER_AGENT_MAX = 256;

export const withConfig = createMiddleware<AppEnv>(async (c, next) => {
  const config = readConfig(c.env);
  c.set("config", config);
  c.set("client", {
    ip: clientAddress(c, config),
    userAgent: c.req.header("User-Agent")?.slice(0, USER_AGENT_MAX) ?? null,
  });
  await next();
});

/**
 * A valid access token whose session is still live and whose user is neither
 * suspended nor deleted: checked in the database on every request, so revocation
 * takes effect at once rather than when the token expires.
 */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("Authorization");
  const token = header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : undefined;
  if (!token) throw unauthorized();
  const subject = await verifyAccessToken(c.get("config"), token);
  if (!subject) throw unauthorized("the access token is invalid or expired: refresh it or sign in again");
  const live = await query(c.env.DATABASE, "activeSession", subject);
  if (!live) throw await sessionEnded(c, subject);
  c.set("user", live.user);
  c.set("userId", live.user.id);
  c.set("sessionId", live.session.id);
  await next();
});

/**
 * Admin actions that change who controls the instance (admin rights, two-factor resets,
 * deleting accounts, the registration mode) need more than a 15-minute access token: a
 * proof from POST /api/admin/elevate, where the password (and the two-factor code) were
 * confirmed in the last ten minutes by this same session.
 */
export const requireRecentAuthentication = createMiddleware<AppEnv>(async (c, next) => {
  await refuseWithoutRecentAuthentication(c);
  await next();
});

/** The same check inside a handler, for actions that need it only sometimes (on an admin). */
export async function refuseWithoutRecentAuthentication(c: Context<AppEnv>): Promise<void> {
  const proof = c.req.header("X-Chatalot-Elevation");
  const subject = { userId: c.get("userId"), sessionId: c.get("sessionId") };
  if (!proof || !(await isElevated(c.get("config"), proof, subject))) {
    throw new AppError(
      403,
      "reauthentication_required",
      "confirm your password (and two-factor code) first: POST /api/admin/elevate, then send the proof as X-Chatalot-Elevation",
    );
  }
}

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get("user").isAdmin) throw new AppError(403, "forbidden", "only instance admins may do this");
  await next();
});

/**
 * For routes authenticated by the refresh cookie: a cross-site page cannot set a
 * custom header without a CORS preflight, which foreign origins fail, and a
 * browser-sent Origin must be one of ours.
 */
export const requireCsrfHeader = createMiddleware<AppEnv>(async (c, next) => {
  refuseForeignOrigin(c);
  if (c.req.header("X-Chatalot-CSRF") !== "1") {
    throw new AppError(403, "csrf_header_missing", "send the header X-Chatalot-CSRF: 1 with this request");
  }
  await next();
});

/**
 * For routes that set the refresh cookie (sign-in, registration, recovery): a browser
 * names the page's origin on every cross-site POST, and only our pages may sign a
 * browser in. Clients that are not browsers send no Origin and are not concerned.
 */
export const requireOwnOrigin = createMiddleware<AppEnv>(async (c, next) => {
  refuseForeignOrigin(c);
  await next();
});

function refuseForeignOrigin(c: Context<AppEnv>): void {
  const origin = c.req.header("Origin");
  if (origin && !allowedOrigins(c.get("config")).includes(origin)) {
    throw new AppError(403, "origin_not_allowed", wrongAddress(origin, c.get("config").PUBLIC_URL));
  }
}

export const limitBody = bodyLimit({
  maxSize: HTTP_BODY_MAX_BYTES,
  onError: () => {
    throw new AppError(413, "body_too_large", `request bodies are limited to ${HTTP_BODY_MAX_BYTES} bytes`);
  },
});

/** Revocation reasons as the person reads them (the socket close reasons say the same). */
const END_REASON_WORDS: Record<string, string> = {
  "account suspended": "account suspended",
  "account deleted": "account deleted",
  signed_out: "signed out",
  revoked_by_user: "session revoked",
  revoked_by_admin: "sessions revoked by an admin",
  password_changed: "password changed",
  password_recovered: "password reset",
  session_expired: "sessions last a limited time from sign-in",
};

/** 401 session_ended, saying why when it is known: the same words the socket's close carries. */
export async function sessionEnded(c: Context<AppEnv>, subject: { sessionId: string; userId: string }) {
  const reason = await query(c.env.DATABASE, "sessionEndReason", subject).catch(() => null);
  const words = reason ? END_REASON_WORDS[reason] : undefined;
  return new AppError(401, "session_ended", `this session has ended${words ? ` (${words})` : ""}: sign in again`);
}
