/**
 * The server's metrics, counted in memory per isolate: recording one is a Map update,
 * never I/O, so the send path pays nothing measurable. /metrics (functions/routes/metrics.ts)
 * gathers the snapshots of the isolates it can reach (its own and those of the objects it
 * asks over RPC), keeps one per isolate and adds them up. It lives in db/ because the rooms,
 * the Database object and the handlers all record into it (STYLE's import direction).
 */

/** Every metric the server records: its kind, what it means, and histogram buckets. */
export const METRICS = {
  chatalot_http_requests_total: { kind: "counter", help: "HTTP requests answered, by route pattern and status" },
  chatalot_http_request_duration_seconds: {
    kind: "histogram",
    help: "Time to answer an HTTP request, by route pattern",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  chatalot_refusals_total: {
    kind: "counter",
    help: "Requests and socket frames refused by a limit, by code (rate_limited, locked_out, sign_in_busy, socket_frame_rate, socket_account_budget)",
  },
  chatalot_upload_bytes_total: { kind: "counter", help: "Encrypted file bytes received by uploads" },
  chatalot_open_sockets: { kind: "gauge", help: "WebSockets open to channel rooms" },
  chatalot_active_rooms: { kind: "gauge", help: "Channel rooms with at least one open socket" },
  chatalot_messages_stored_total: {
    kind: "counter",
    help: "Messages stored (resends of a stored message not counted)",
  },
  chatalot_append_batch_size: {
    kind: "histogram",
    help: "Messages per INSERT statement of a room's append batches",
    buckets: [1, 2, 4, 8, 16, 32, 64, 128],
  },
  chatalot_append_statement_channels: {
    kind: "histogram",
    help: "Channels whose batches shared one append statement and commit (db/append-groups.ts)",
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
  },
  chatalot_database_query_duration_seconds: {
    kind: "histogram",
    help: "Time of a named query inside the Database object, PostgreSQL round trip included",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
  },
  chatalot_database_pool_connections: {
    kind: "gauge",
    help: "PostgreSQL pool connections: total open, idle, and callers waiting for one",
  },
  chatalot_database_pool_size: { kind: "gauge", help: "The most PostgreSQL connections the pool may open" },
  chatalot_database_connections_closed_total: {
    kind: "counter",
    help: "Pooled PostgreSQL connections closed: idle (timeout, normal) or error (the server or network dropped it)",
  },
  chatalot_password_checks_in_flight: {
    kind: "gauge",
    help: "Password checks admitted by the sign-in gate and not yet finished (the hasher's queue)",
  },
  chatalot_process_memory_bytes: { kind: "gauge", help: "Memory of the process, where the runtime tells" },
} as const satisfies Record<string, { kind: "counter" | "gauge" | "histogram"; help: string; buckets?: number[] }>;

export type MetricName = keyof typeof METRICS;
type HistogramName = { [K in MetricName]: (typeof METRICS)[K]["kind"] extends "histogram" ? K : never }[MetricName];
type ScalarName = Exclude<MetricName, HistogramName>;

export type Labels = Record<string, string>;
/** One series: its labels, and a value (counter, gauge) or bucket counts, sum and count (histogram). */
export interface Series {
  labels: Labels;
  value: number;
  buckets?: number[];
  sum?: number;
}
/** What one isolate holds, plain data so it crosses RPC. */
export interface MetricsSnapshot {
  isolate: string;
  metrics: Partial<Record<MetricName, Series[]>>;
}

const series = new Map<MetricName, Map<string, Series>>();
/** Named per isolate, lazily: workerd refuses random numbers at module scope. */
let isolate: string | undefined;

function seriesOf(name: MetricName, labels: Labels): Series {
  const byLabels = series.get(name) ?? new Map<string, Series>();
  series.set(name, byLabels);
  const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
  let found = byLabels.get(key);
  if (!found) {
    found = { labels, value: 0 };
    byLabels.set(key, found);
  }
  return found;
}

/** Adds to a counter, or to (or from, with a negative amount) a gauge. */
export function count(name: ScalarName, labels: Labels = {}, amount = 1): void {
  seriesOf(name, labels).value += amount;
}

export function setGauge(name: ScalarName, labels: Labels, value: number): void {
  seriesOf(name, labels).value = value;
}

export function observe(name: HistogramName, value: number, labels: Labels = {}): void {
  const bounds = METRICS[name].buckets;
  const found = seriesOf(name, labels);
  found.buckets ??= bounds.map(() => 0);
  found.sum = (found.sum ?? 0) + value;
  found.value++;
  // Cumulative counts are made when the snapshot is rendered; here only the first bucket that fits.
  const index = bounds.findIndex((bound) => value <= bound);
  if (index >= 0) found.buckets[index]!++;
}

export function metricsSnapshot(): MetricsSnapshot {
  isolate ??= crypto.randomUUID();
  const metrics: MetricsSnapshot["metrics"] = {};
  for (const [name, byLabels] of series) {
    metrics[name] = [...byLabels.values()].map((one) => ({
      ...one,
      labels: { ...one.labels },
      ...(one.buckets ? { buckets: [...one.buckets] } : {}),
    }));
  }
  return { isolate, metrics };
}

/**
 * One snapshot per isolate (objects that share the caller's isolate answer with the same
 * one: self-hosted workerd runs every object of the app in one), then series with the same
 * labels added up.
 */
export function mergeSnapshots(snapshots: MetricsSnapshot[]): Map<MetricName, Series[]> {
  const latest = new Map(snapshots.map((snapshot) => [snapshot.isolate, snapshot]));
  const merged = new Map<MetricName, Map<string, Series>>();
  for (const { metrics } of latest.values()) {
    for (const [name, list] of Object.entries(metrics) as [MetricName, Series[]][]) {
      const byLabels = merged.get(name) ?? new Map<string, Series>();
      merged.set(name, byLabels);
      for (const one of list) {
        const key = JSON.stringify(Object.entries(one.labels).sort(([a], [b]) => a.localeCompare(b)));
        const sum = byLabels.get(key);
        if (!sum) {
          byLabels.set(key, { ...one, ...(one.buckets ? { buckets: [...one.buckets] } : {}) });
          continue;
        }
        sum.value += one.value;
        if (one.buckets) sum.buckets = (sum.buckets ?? one.buckets.map(() => 0)).map((n, i) => n + one.buckets![i]!);
        if (one.sum !== undefined) sum.sum = (sum.sum ?? 0) + one.sum;
      }
    }
  }
  return new Map([...merged].map(([name, byLabels]) => [name, [...byLabels.values()]]));
}
