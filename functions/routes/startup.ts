/**
 * POST /internal/startup: called by the production entrypoint (scripts/serve.sh)
 * before it reports the server as started. It validates the configuration and the
 * keys, applies migrations, and moves TOTP secrets off retired keys. Answers are plain text for the shell: 200 ready;
 * 503 the database is not reachable yet, ask again; 500 refuse to start, and why.
 * Without the per-process STARTUP_TOKEN the route does not exist.
 */
import { Hono } from "hono";
import { databaseStub, log } from "../../db/index.ts";
import { readConfig } from "../config.ts";
import type { AppEnv } from "../context.ts";
import { publicJwks } from "../tokens.ts";
import { reencryptRetiredTotpSecrets } from "../totp-rotation.ts";
import { errorFields } from "../errors.ts";

export const startup = new Hono<AppEnv>().post("/", async (c) => {
  const expected = (c.env as { STARTUP_TOKEN?: string }).STARTUP_TOKEN;
  if (!expected || c.req.header("X-Startup-Token") !== expected) {
    return c.json({ error: errorFields(c, "not_found", "no such route") }, 404);
  }
  let config;
  try {
    config = readConfig(c.env);
    await publicJwks(config);
  } catch (error) {
    return c.text(error instanceof Error ? error.message : String(error), 500);
  }
  const result = await databaseStub(c.env.DATABASE).startup();
  if (!result.ok && result.kind === "unavailable") return c.text(`waiting for the database: ${result.message}`, 503);
  if (!result.ok) return c.text(result.message, 500);
  const moved = await reencryptRetiredTotpSecrets(c.env, config);
  if (moved > 0)
    log.info("totp_secrets_reencrypted", { secrets: moved, keyVersion: config.TOTP_ENCRYPTION_KEY_VERSION });
  return c.text("ready");
});
