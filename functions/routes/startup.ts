/**
 * POST /internal/startup: called once by the production entrypoint before it
 * reports the server as started. Configuration was already validated by the
 * config middleware; this applies migrations. 503 means "database not reachable
 * yet, ask again"; 500 means "refuse to start" and says why.
 */
import { Hono } from "hono";
import { databaseStub } from "../../db/index.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.ts";

export const startup = new Hono<AppEnv>().post("/", async (c) => {
  const expected = c.get("config").STARTUP_TOKEN;
  if (!expected || c.req.header("X-Startup-Token") !== expected) {
    throw new AppError(404, "not_found", "no such route");
  }
  const result = await databaseStub(c.env.DATABASE).startup();
  if (result.ok) return c.json({ status: "ready" });
  if (result.kind === "unavailable") throw new AppError(503, "database_unavailable", result.message);
  throw new AppError(500, result.kind, result.message);
});
