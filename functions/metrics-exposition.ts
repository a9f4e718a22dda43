/**
 * Prometheus' text exposition format (version 0.0.4): HELP and TYPE lines, then one line
 * per series; histograms as cumulative `_bucket{le=...}` lines ending in `+Inf`, with
 * `_sum` and `_count`. Written here rather than taken from prom-client, which imports
 * Node's cluster, v8 and perf_hooks modules that workerd does not have, and keeps one
 * registry per process where this server needs to add up several isolates' counts.
 */
import { METRICS, type Labels, type MetricName, type Series } from "../db/index.ts";

export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export function exposition(merged: Map<MetricName, Series[]>): string {
  const lines: string[] = [];
  for (const [name, definition] of Object.entries(METRICS) as [MetricName, (typeof METRICS)[MetricName]][]) {
    const list = merged.get(name);
    if (!list || list.length === 0) continue;
    lines.push(`# HELP ${name} ${escapeHelp(definition.help)}`, `# TYPE ${name} ${definition.kind}`);
    for (const one of list) {
      if (definition.kind !== "histogram") {
        lines.push(`${name}${labelText(one.labels)} ${number(one.value)}`);
        continue;
      }
      const bounds = (definition as { buckets: readonly number[] }).buckets;
      let cumulative = 0;
      bounds.forEach((bound, index) => {
        cumulative += one.buckets?.[index] ?? 0;
        lines.push(`${name}_bucket${labelText({ ...one.labels, le: String(bound) })} ${cumulative}`);
      });
      lines.push(`${name}_bucket${labelText({ ...one.labels, le: "+Inf" })} ${one.value}`);
      lines.push(`${name}_sum${labelText(one.labels)} ${number(one.sum ?? 0)}`);
      lines.push(`${name}_count${labelText(one.labels)} ${one.value}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${escapeLabel(value)}"`);
  return pairs.length > 0 ? `{${pairs.join(",")}}` : "";
}

/** Label values escape backslash, double quote and line feed; help text only backslash and line feed. */
const escapeLabel = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const escapeHelp = (value: string) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
const number = (value: number) => (Number.isFinite(value) ? String(value) : value > 0 ? "+Inf" : "NaN");
