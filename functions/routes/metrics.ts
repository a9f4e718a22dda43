/**
 * GET /metrics: Prometheus' text format, for a scraper on an address in
 * METRICS_ALLOWED_ADDRESSES or one sending `Authorization: Bearer <METRICS_TOKEN>`.
 * Anyone else gets the 404 a missing file gets (functions/routes/assets.ts): no figure, and
 * no word on why. Counts live in memory per isolate (db/metrics.ts): this handler adds its own
 * to those of the objects that may run elsewhere (the Database object, which holds the
 * pool; the RateLimits object, which holds the sign-in gate), one snapshot per isolate.
 * Rooms record in the isolate they run in; self-hosted workerd runs them all in the
 * app's one isolate, so they are in its snapshot.
 */
import { Hono, type Context } from "hono";
import { databaseStub, mergeSnapshots, metricsSnapshot, setGauge, type MetricsSnapshot } from "../../db/index.ts";
import { RATE_LIMITS_OBJECT } from "../abuse.ts";
import { isInRanges } from "../client-address.ts";
import type { AppEnv } from "../context.ts";
import { EXPOSITION_CONTENT_TYPE, exposition } from "../metrics-exposition.ts";
import { errorFields } from "../errors.ts";

export const metrics = new Hono<AppEnv>().get("/", async (c) => {
  if (!(await mayScrape(c))) return c.json({ error: errorFields(c, "not_found", "no such page") }, 404);
  const remote = await Promise.all([
    databaseStub(c.env.DATABASE).metrics() as Promise<MetricsSnapshot>,
    c.env.RATE_LIMITS.getByName(RATE_LIMITS_OBJECT).metrics() as Promise<MetricsSnapshot>,
  ]);
  recordMemory();
  // Own snapshot last: when an object shares this isolate, the freshest copy wins.
  const body = exposition(mergeSnapshots([...remote, metricsSnapshot()]));
  return c.body(body, 200, { "Content-Type": EXPOSITION_CONTENT_TYPE, "Cache-Control": "no-store" });
});

async function mayScrape(c: Context<AppEnv>): Promise<boolean> {
  const config = c.get("config");
  if (isInRanges(c.get("client").ip, config.METRICS_ALLOWED_ADDRESSES)) return true;
  const header = c.req.header("Authorization") ?? "";
  if (!config.METRICS_TOKEN || !header.startsWith("Bearer ")) return false;
  return isSameSecret(header.slice("Bearer ".length).trim(), config.METRICS_TOKEN);
}

/** Compares digests, so the time taken says nothing about how much of the token was right. */
async function isSameSecret(given: string, expected: string): Promise<boolean> {
  const digest = async (text: string) =>
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

/** Node's process.memoryUsage, where the runtime has it and it tells something. */
function recordMemory(): void {
  const usage = (globalThis as unknown as { process?: { memoryUsage?: () => Record<string, number> } }).process
    ?.memoryUsage;
  if (typeof usage !== "function") return;
  let figures: [string, number][];
  try {
    figures = Object.entries(usage()).filter(([, bytes]) => Number.isFinite(bytes));
  } catch {
    return;
  }
  // workerd (2026-11) answers zeros: no figure rather than a wrong one.
  if (!figures.some(([, bytes]) => bytes > 0)) return;
  for (const [kind, bytes] of figures) setGauge("chatalot_process_memory_bytes", { kind }, bytes);
}
