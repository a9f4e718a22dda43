/** GET /health: liveness and database reachability, for Docker and load balancers. */
import { Hono, type Context } from "hono";
import type { HealthView } from "../../protocol/index.ts";
import { databaseStub } from "../../db/index.ts";
import type { AppEnv } from "../context.ts";
import packageJson from "../../package.json" with { type: "json" };

/** When this isolate first served; the fallback when the entrypoint gave no start time. */
let firstServedAt: number | undefined;

/** The health report, also shown on the admin page's overview. */
export async function healthOf(c: Context<AppEnv>): Promise<HealthView> {
  const now = Date.now();
  firstServedAt ??= now;
  const startedAtMs = c.get("config").CHATALOT_STARTED_AT * 1000 || firstServedAt;
  const { isReachable: isDbHealthy, isReady } = await databaseStub(c.env.DATABASE).health();
  return {
    // "starting" until the schema is current: /health said ok while migrations ran before.
    status: !isDbHealthy ? "degraded" : isReady ? "ok" : "starting",
    version: packageJson.version,
    uptime_secs: Math.max(0, Math.floor((now - startedAtMs) / 1000)),
    db_healthy: isDbHealthy,
  };
}

export const health = new Hono<AppEnv>().get("/", async (c) => {
  const body = await healthOf(c);
  c.header("Cache-Control", "no-store");
  return c.json(body, body.status === "ok" ? 200 : 503);
});
