/**
 * The HTTP application: middleware, the routes mounted once, and the single
 * error handler that turns every failure into `{ error: { code, message } }`.
 */
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { DatabaseError } from "../db/index.ts";
import type { ErrorView } from "../protocol/index.ts";
import { ConfigError } from "./config.ts";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.ts";
import { withConfig } from "./middleware.ts";
import { assets } from "./routes/assets.ts";
import { auth } from "./routes/auth.ts";
import { channels } from "./routes/channels.ts";
import { health } from "./routes/health.ts";
import { me } from "./routes/me.ts";
import { startup } from "./routes/startup.ts";
import { wellKnown } from "./routes/well-known.ts";

export const app = new Hono<AppEnv>()
  .use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        connectSrc: ["'self'"],
        imgSrc: ["'self'", "data:", "blob:"],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      // HSTS only makes sense once the operator serves https; issue 3 ties it to PUBLIC_URL.
      strictTransportSecurity: false,
      referrerPolicy: "no-referrer",
    }),
  )
  // Start-up reports configuration errors itself, so it runs before withConfig.
  .route("/internal/startup", startup)
  .use(withConfig)
  .route("/health", health)
  .route("/.well-known", wellKnown)
  .route("/api/auth", auth)
  .route("/api/me", me)
  .route("/api/channels", channels)
  .all("/api/*", (c) => c.json(errorBody("not_found", "no such API route"), 404))
  .route("/", assets)
  .onError((error, c) => {
    if (error instanceof AppError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return c.json(errorBody(error.code, error.message), error.status);
    }
    if (error instanceof DatabaseError && error.kind === "unavailable") {
      c.header("Retry-After", "5");
      return c.json(errorBody("database_unavailable", "the database is unreachable; try again shortly"), 503);
    }
    if (error instanceof DatabaseError && error.kind === "migration_failed") {
      return c.json(errorBody("migration_failed", error.message), 500);
    }
    if (error instanceof ConfigError) {
      console.error(error.message);
      return c.json(errorBody("invalid_configuration", error.message), 500);
    }
    // Unexpected: log it for the operator, tell the caller nothing internal.
    console.error(`unhandled error on ${c.req.method} ${new URL(c.req.url).pathname}:`, error);
    return c.json(errorBody("internal", "something went wrong on the server"), 500);
  });

function errorBody(code: string, message: string): ErrorView {
  return { error: { code, message } };
}
