/**
 * Wall-clock spans of a message's way through the server, for the latency bench
 * (bench/latency-ladder.ts, issue 22): where the time between a send frame arriving
 * and its ack and relays being written goes. Recorded only with LATENCY_SPANS=true:
 * off, the send path pays one boolean check. Counted in memory per isolate like the
 * metrics (db/metrics.ts), in fixed buckets; functions/routes/latency-spans.ts serves
 * them. The rooms record every span (the Database object's times come back with its
 * answer), so in self-hosted workerd, one isolate, the app's snapshot holds them all.
 *
 * workerd's clock stands still while JavaScript runs and moves on at I/O, so a span
 * measures waiting (for the thread, the pool, the bridge, PostgreSQL), not the CPU
 * of the code inside one turn: that shows as waiting in the next message's spans.
 */

/** In order along a message's way; `total` is received -> written. */
export const LATENCY_SPANS = ["checks", "queue", "rpc", "statement", "return", "relay", "total"] as const;
export type LatencySpan = (typeof LATENCY_SPANS)[number];

/**
 * Upper bounds of the buckets, ms: fine below 50 ms, where the targets are. The
 * first holds exactly 0: workerd's clock ticks in whole ms and often does not move at all.
 */
export const SPAN_BUCKETS_MS = [
  0, 0.5, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000,
];

/** Date.now() at each point of one message's way; filled in as it passes. */
export interface SpanTimes {
  /** The send frame reached its room's handler. */
  receivedAt: number;
  /** Checks done: the message joined its room's pending batch. */
  queuedAt: number;
  /** Its batch's statement was handed to the Database object (the room's RPC call). */
  calledAt: number;
  /** The Database object began the work (after the RPC's delivery). */
  startedAt: number;
  /** The Database object had PostgreSQL's answer (pool, driver, bridge, statement, commit). */
  finishedAt: number;
  /** The answer was back in the room. */
  answeredAt: number;
  /** Its ack and relays were handed to the sockets. */
  writtenAt: number;
}

export interface SpanHistogram {
  /** Count per bucket of SPAN_BUCKETS_MS, plus one past the last bound. */
  buckets: number[];
  count: number;
  sumMs: number;
}

export type LatencySpansSnapshot = Record<LatencySpan, SpanHistogram>;

const histograms = new Map<LatencySpan, SpanHistogram>();

/** The switch, from the env the object was given (read once, at construction). */
export function isTimingSpans(env: unknown): boolean {
  return (env as { LATENCY_SPANS?: string }).LATENCY_SPANS === "true";
}

export function startSpanTimes(): SpanTimes {
  const now = Date.now();
  return {
    receivedAt: now,
    queuedAt: now,
    calledAt: now,
    startedAt: now,
    finishedAt: now,
    answeredAt: now,
    writtenAt: now,
  };
}

/** Records every span of one message whose ack and relays were just written. */
export function recordSpans(times: SpanTimes): void {
  observeSpan("checks", times.queuedAt - times.receivedAt);
  observeSpan("queue", times.calledAt - times.queuedAt);
  observeSpan("rpc", times.startedAt - times.calledAt);
  observeSpan("statement", times.finishedAt - times.startedAt);
  observeSpan("return", times.answeredAt - times.finishedAt);
  observeSpan("relay", times.writtenAt - times.answeredAt);
  observeSpan("total", times.writtenAt - times.receivedAt);
}

function observeSpan(span: LatencySpan, ms: number): void {
  let histogram = histograms.get(span);
  if (!histogram)
    histograms.set(span, (histogram = { buckets: [...SPAN_BUCKETS_MS, Infinity].map(() => 0), count: 0, sumMs: 0 }));
  // Clocks of two objects may disagree by a tick: never a negative wait.
  const value = Math.max(0, ms);
  const index = SPAN_BUCKETS_MS.findIndex((bound) => value <= bound);
  histogram.buckets[index === -1 ? SPAN_BUCKETS_MS.length : index]!++;
  histogram.count++;
  histogram.sumMs += value;
}

/** Copies of this isolate's histograms, plain data; empty ones for spans never seen. */
export function latencySpansSnapshot(): LatencySpansSnapshot {
  const empty = (): SpanHistogram => ({ buckets: [...SPAN_BUCKETS_MS, Infinity].map(() => 0), count: 0, sumMs: 0 });
  return Object.fromEntries(
    LATENCY_SPANS.map((span) => {
      const histogram = histograms.get(span);
      return [span, histogram ? { ...histogram, buckets: [...histogram.buckets] } : empty()];
    }),
  ) as LatencySpansSnapshot;
}
