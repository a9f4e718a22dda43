/**
 * The HTTP application: middleware, the routes mounted once, and the single
 * error handler that turns every failure into `{ error: { code, message } }`.
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import type { Context } from "hono";
import { count, DatabaseError, errorText, log } from "../db/index.ts";
import type { ErrorView } from "../protocol/index.ts";
import { allowedOrigins, ConfigError } from "./config.ts";
import type { AppEnv } from "./context.ts";
import { AppError, errorFields } from "./errors.ts";
import { withConfig } from "./middleware.ts";
import { requestLog } from "./request-log.ts";
import { account } from "./routes/account.ts";
import { accountStatus } from "./routes/account-status.ts";
import { admin } from "./routes/admin.ts";
import { adminAssets } from "./routes/admin-assets.ts";
import { announcementsRoute } from "./routes/announcements.ts";
import { assets } from "./routes/assets.ts";
import { blocks } from "./routes/blocks.ts";
import { auth } from "./routes/auth.ts";
import { channels } from "./routes/channels.ts";
import { communities } from "./routes/communities.ts";
import { acceptCommunityInvite } from "./routes/community-invites.ts";
import { directMessages } from "./routes/direct-messages.ts";
import { events } from "./routes/events.ts";
import { files } from "./routes/files.ts";
import { profiles } from "./routes/profiles.ts";
import { keys } from "./routes/keys.ts";
import { push } from "./routes/push.ts";
import { notifications } from "./routes/notifications.ts";
import { health } from "./routes/health.ts";
import { iceServers } from "./routes/ice-servers.ts";
import { calls } from "./routes/calls.ts";
import { me } from "./routes/me.ts";
import { latencySpans } from "./routes/latency-spans.ts";
import { metrics } from "./routes/metrics.ts";
import { avatar, pictures } from "./routes/pictures.ts";
import { search } from "./routes/search.ts";
import { sessions } from "./routes/sessions.ts";
import { startup } from "./routes/startup.ts";
import { twoFactor } from "./routes/two-factor.ts";
import { unread } from "./routes/unread.ts";
import { channelUploads, myStorage, uploads } from "./routes/uploads.ts";
import { wellKnown } from "./routes/well-known.ts";

/** HSTS once the operator serves https, so browsers never fall back to plain http. */
const strictTransport = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.get("config")?.PUBLIC_URL.startsWith("https:")) {
    c.header("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  }
});

/**
 * API answers carry tokens and private data: no browser or proxy cache may keep them
 * (a shared computer's back button, a caching proxy). Routes that set their own policy keep it.
 */
const noStore = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
});

/** Browsers may call the API only from PUBLIC_URL and CORS_ORIGINS. */
const apiCors = createMiddleware<AppEnv>((c, next) =>
  cors({
    origin: (origin) => (allowedOrigins(c.get("config")).includes(origin) ? origin : null),
    credentials: true,
    allowHeaders: [
      "Content-Type",
      "Authorization",
      "X-Chatalot-CSRF",
      "X-Chatalot-Elevation",
      // Uploads and downloads (docs/files.md).
      "Upload-Offset",
      "Range",
      "If-None-Match",
      "If-Range",
    ],
    exposeHeaders: ["Upload-Offset", "Content-Range", "ETag", "Retry-After"],
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    maxAge: 600,
  })(c, next),
);

export const app = new Hono<AppEnv>()
  // First, so every answer (also a refused start-up or a secure-headers failure) is counted and logged.
  .use(requestLog)
  .use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        connectSrc: ["'self'"],
        imgSrc: ["'self'", "data:", "blob:"],
        // Attachments are decrypted in the page and played from blob: URLs (docs/files.md).
        mediaSrc: ["'self'", "blob:"],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // The service worker (/sw.js) and the web app manifest, both our own files.
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      // Set by strictTransport below, only when PUBLIC_URL is https.
      strictTransportSecurity: false,
      referrerPolicy: "no-referrer",
      // A route that sets its own policy keeps it (pictures and files: `default-src 'none'; sandbox`).
      overwrite: false,
    }),
  )
  // Start-up reports configuration errors itself, so it runs before withConfig.
  .route("/internal/startup", startup)
  .use(withConfig)
  .use(strictTransport)
  .use("/api/*", apiCors)
  .use("/api/*", noStore)
  .route("/health", health)
  .route("/metrics/latency-spans", latencySpans)
  .route("/metrics", metrics)
  .route("/.well-known", wellKnown)
  .route("/api/auth", auth)
  .route("/api/me", me)
  .route("/api/me/avatar", avatar)
  .route("/api/me/storage", myStorage)
  .route("/api/sessions", sessions)
  .route("/api/account", account)
  .route("/api/account/status", accountStatus)
  .route("/api/two-factor", twoFactor)
  .route("/api/admin", admin)
  .route("/api/announcements", announcementsRoute)
  .route("/api/blocks", blocks)
  .route("/api/channels", channels)
  .route("/api/channels", channelUploads)
  .route("/api/communities", communities)
  .route("/api/community-invites", acceptCommunityInvite)
  .route("/api/dms", directMessages)
  .route("/api/unread", unread)
  .route("/api/search", search)
  .route("/api/push", push)
  .route("/api/notifications", notifications)
  .route("/api/events", events)
  .route("/api/keys", keys)
  .route("/api/calls/ice-servers", iceServers)
  .route("/api/calls", calls)
  .route("/api/pictures", pictures)
  .route("/api/uploads", uploads)
  .route("/api/files", files)
  .route("/api/users", profiles)
  .all("/api/*", (c) => c.json(errorBody(c, "not_found", "no such API route"), 404))
  // Before the public assets: the admin page's code is only for admins.
  .route("/admin-assets", adminAssets)
  .route("/", assets)
  .onError((error, c) => {
    if (error instanceof AppError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      if (REFUSAL_CODES.has(error.code) || error.status === 429) count("chatalot_refusals_total", { code: error.code });
      return c.json(errorBody(c, error.code, error.message), error.status);
    }
    if (error instanceof DatabaseError && error.kind === "unavailable") {
      c.header("Retry-After", "5");
      return c.json(errorBody(c, "database_unavailable", "the database is unreachable; try again shortly"), 503);
    }
    // The operator sees the detail at start-up and in the log; callers only learn the kind.
    if (error instanceof DatabaseError && error.kind === "migration_failed") {
      return c.json(
        errorBody(
          c,
          "migration_failed",
          "the database schema could not be updated: the operator must check the server log",
        ),
        500,
      );
    }
    if (error instanceof ConfigError) {
      log.error("invalid_configuration", { requestId: c.get("requestId"), error: error.message });
      return c.json(errorBody(c, "invalid_configuration", error.message), 500);
    }
    // Unexpected: log it for the operator (by route pattern: paths hold ids), tell the caller nothing internal.
    log.error("unhandled_error", {
      requestId: c.get("requestId"),
      route: c.req.routePath,
      error: errorText(error),
      stack: error.stack ?? null,
    });
    return c.json(errorBody(c, "internal", "something went wrong on the server"), 500);
  });

/** Refusals by a limit that are not 429s: the sign-in gate's queue and breaker. */
const REFUSAL_CODES = new Set(["sign_in_busy"]);

/** The stable error shape, with the request's id for a person to quote (functions/request-log.ts). */
function errorBody(c: Context<AppEnv>, code: string, message: string): ErrorView {
  return { error: errorFields(c, code, message) };
}
