/**
 * The server's wall-clock spans for one rung (LATENCY_SPANS=true, db/latency-spans.ts):
 * read from /metrics/latency-spans before and after the window, the difference turned
 * into p50/p99 per span (interpolated within the fixed buckets) and each span's share
 * of the total time (sum of the span / sum of `total`).
 */
import type { LatencySpan, LatencySpansSnapshot } from "../db/latency-spans.ts";
import { printTable } from "./report.ts";
import { formatNumber } from "./stats.ts";

interface SpansAnswer {
  bucketsMs: number[];
  spans: LatencySpansSnapshot;
}

const SPAN_MEANINGS: Record<LatencySpan, string> = {
  checks: "frame in -> joined the batch (permission, slow mode)",
  queue: "waiting in the room for its batch's statement",
  rpc: "the Database object's RPC: call -> start of work",
  statement: "pool, driver, bridge, PostgreSQL and its commit",
  return: "the RPC's answer back in the room",
  relay: "answer -> ack and relays handed to the sockets",
  total: "frame in -> frames out, in the server",
};

export async function readSpans(baseUrl: string): Promise<SpansAnswer> {
  const response = await fetch(new URL("/metrics/latency-spans", baseUrl));
  if (!response.ok) throw new Error(`/metrics/latency-spans answered ${response.status}: is LATENCY_SPANS=true?`);
  return (await response.json()) as SpansAnswer;
}

/** Prints the table; returns how many messages the spans timed (to check against the window's sends). */
export function printSpans(rate: number, before: SpansAnswer, after: SpansAnswer): number {
  const bounds = after.bucketsMs;
  const total = after.spans.total.sumMs - before.spans.total.sumMs;
  const rows = (Object.keys(SPAN_MEANINGS) as LatencySpan[]).map((span) => {
    const buckets = after.spans[span].buckets.map((count, index) => count - before.spans[span].buckets[index]!);
    const count = after.spans[span].count - before.spans[span].count;
    const sum = after.spans[span].sumMs - before.spans[span].sumMs;
    return [
      span,
      SPAN_MEANINGS[span],
      String(count),
      formatPercentile(percentile(buckets, bounds, 50), bounds),
      formatPercentile(percentile(buckets, bounds, 99), bounds),
      formatNumber(count > 0 ? sum / count : NaN),
      span === "total" ? "" : `${formatNumber(total > 0 ? (sum / total) * 100 : NaN)}%`,
    ];
  });
  printTable(
    `Where a message's time goes in the server at ${rate} msgs/s (wall clock, ms; workerd's clock stands still ` +
      "while code runs, so CPU inside one turn shows as later messages' waiting)",
    ["span", "what", "messages", "p50", "p99", "mean", "share"],
    rows,
  );
  return after.spans.total.count - before.spans.total.count;
}

/** Past the last bound the bucket has no upper edge: the figure is a lower bound, and says so. */
function formatPercentile(value: number, bounds: number[]): string {
  return value === Infinity ? `>${formatNumber(bounds[bounds.length - 1]!)}` : formatNumber(value);
}

/**
 * The p-th percentile of a bucketed distribution, linear within the bucket it falls in;
 * Infinity when it falls past the last bound.
 */
export function percentile(buckets: number[], bounds: number[], p: number): number {
  const count = buckets.reduce((sum, n) => sum + n, 0);
  if (count === 0) return NaN;
  const rank = (p / 100) * count;
  let seen = 0;
  for (let index = 0; index < buckets.length; index++) {
    const inBucket = buckets[index]!;
    if (seen + inBucket >= rank && inBucket > 0) {
      const low = index === 0 ? 0 : bounds[index - 1]!;
      if (index >= bounds.length) return Infinity;
      return low + ((rank - seen) / inBucket) * (bounds[index]! - low);
    }
    seen += inBucket;
  }
  return bounds[bounds.length - 1]!;
}
