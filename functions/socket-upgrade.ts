/**
 * What every WebSocket route checks before it looks at the ticket: that this is an
 * upgrade, and that a browser's Origin is ours. Browsers always send Origin on
 * upgrades; refusing foreign ones stops cross-site pages from riding a user's
 * ticket. Non-browser clients send none.
 */
import type { Context } from "hono";
import { allowedOrigins } from "./config.ts";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.ts";

export function requireOwnUpgrade(c: Context<AppEnv>): void {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new AppError(426, "upgrade_required", "this route only accepts WebSocket upgrades");
  }
  const origin = c.req.header("Origin");
  if (origin && !allowedOrigins(c.get("config")).includes(origin)) {
    throw new AppError(403, "origin_not_allowed", "WebSocket connections are only accepted from PUBLIC_URL");
  }
}
