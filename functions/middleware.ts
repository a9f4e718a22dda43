/** Middleware shared by the routes: configuration, authentication, body limits. */
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { HTTP_BODY_MAX_BYTES } from "../protocol/index.ts";
import { readConfig } from "./config.ts";
import type { AppEnv } from "./context.ts";
import { AppError, unauthorized } from "./errors.ts";
import { verifyAccessToken } from "./tokens.ts";

export const withConfig = createMiddleware<AppEnv>(async (c, next) => {
  c.set("config", readConfig(c.env));
  await next();
});

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("Authorization");
  const token = header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : undefined;
  if (!token) throw unauthorized();
  const userId = await verifyAccessToken(c.get("config"), token);
  if (!userId) throw unauthorized("the access token is invalid or expired: sign in again");
  c.set("userId", userId);
  await next();
});

export const limitBody = bodyLimit({
  maxSize: HTTP_BODY_MAX_BYTES,
  onError: () => {
    throw new AppError(413, "body_too_large", `request bodies are limited to ${HTTP_BODY_MAX_BYTES} bytes`);
  },
});
