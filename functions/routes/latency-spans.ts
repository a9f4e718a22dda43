/**
 * GET /metrics/latency-spans: the latency spans of this isolate (db/latency-spans.ts) as
 * JSON, for the latency bench. Served only with LATENCY_SPANS=true and only to an address
 * in METRICS_ALLOWED_ADDRESSES; anyone else, or with the spans off, gets the 404 a missing
 * page gets. Rooms record the spans in the isolate they run in, which in self-hosted
 * workerd is this one (functions/routes/metrics.ts says why).
 */
import { Hono } from "hono";
import { isTimingSpans, latencySpansSnapshot, SPAN_BUCKETS_MS } from "../../db/index.ts";
import { isInRanges } from "../client-address.ts";
import type { AppEnv } from "../context.ts";
import { errorFields } from "../errors.ts";

export const latencySpans = new Hono<AppEnv>().get("/", (c) => {
  const isAllowed = isInRanges(c.get("client").ip, c.get("config").METRICS_ALLOWED_ADDRESSES);
  if (!isTimingSpans(c.env) || !isAllowed) return c.json({ error: errorFields(c, "not_found", "no such page") }, 404);
  c.header("Cache-Control", "no-store");
  return c.json({ bucketsMs: SPAN_BUCKETS_MS, spans: latencySpansSnapshot() });
});
