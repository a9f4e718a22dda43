/** Latency summaries: nearest-rank percentiles over recorded samples, in milliseconds. */

export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: number[]): Summary {
  if (samples.length === 0) return { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(samples).sort();
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { count: sorted.length, p50: rank(50), p95: rank(95), p99: rank(99), max: sorted[sorted.length - 1]! };
}

/** `12.3`, `0.41`, `1234`: about three significant digits, `-` for no value. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "-";
  if (Math.abs(value) >= 100) return Math.round(value).toString();
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/**
 * The p-th percentile of the samples sent in each whole second from the first send:
 * shows whether a tail is steady or a stretch of the window (a warm-up, a stall).
 */
export function percentileBySecond(samples: number[], sentAt: number[], p: number): number[] {
  if (samples.length === 0) return [];
  const start = sentAt.reduce((earliest, time) => Math.min(earliest, time), Infinity); // no spread: 10^5 samples
  const buckets: number[][] = [];
  samples.forEach((sample, index) => {
    const second = Math.floor((sentAt[index]! - start) / 1000);
    (buckets[second] ??= []).push(sample);
  });
  return Array.from(buckets, (bucket) => {
    if (!bucket) return NaN;
    const sorted = Float64Array.from(bucket).sort();
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  });
}
