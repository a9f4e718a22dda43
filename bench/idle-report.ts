/**
 * The idle scenario's tables: each target's resident memory by phase, the waking
 * and warm rounds, Chatalot against the reference room, and the issue's target
 * (workerd under 600 MB resident with 10,000 sockets).
 */
import type { IdleResult } from "./idle-measure.ts";
import { megabytes, workerdBytes, type ProcessMemory } from "./process-memory.ts";
import { printTable } from "./report.ts";
import { formatNumber } from "./stats.ts";

const TARGET_MEGABYTES = 600;
export const TARGET_SOCKETS = 10_000;
/** Below this many sockets the one-off warm-up (compiled code, pools) swamps the slope. */
const EXTRAPOLATE_FROM_SOCKETS = 2_000;

export interface MemorySample {
  phase: string;
  processes: ProcessMemory[];
}

const serverOf = (sample: MemorySample | undefined) =>
  sample?.processes.find((process) => process.role === "workerd server");
const mb = (bytes: number | undefined) => formatNumber(megabytes(bytes ?? NaN));

export function printIdle(results: IdleResult[]): void {
  for (const result of results) printMemory(result);
  printTable(
    "One message per channel after the idle period, sent one at a time (ms)",
    ["target", "round", "messages", "ack p50", "ack p99", "ack max", "relay p50", "relay p99"],
    results.flatMap((result) =>
      (["wake", "warm"] as const).map((round) => {
        const { ack, relay } = result[round];
        return [
          result.target,
          round === "wake" ? "1: rooms waking" : "2: rooms warm",
          String(ack.count),
          ...[ack.p50, ack.p99, ack.max, relay.p50, relay.p99].map(formatNumber),
        ];
      }),
    ),
  );
  printComparison(results);
  for (const result of results) {
    const { counts } = result;
    console.log(
      `sockets:  ${result.target}: ${result.stillOpen}/${result.sockets} still open after the idle period; ` +
        `delivered ${counts.delivered}/${counts.expected}, acked ${counts.acked}/${counts.sent}, ` +
        `errors ${counts.errors + counts.failed + counts.pending}, unexpected ${counts.unexpected}, ` +
        `out-of-order ${counts.outOfOrder}`,
    );
    for (const sample of result.errorSamples) console.log(`  ${sample}`);
  }
  printTarget(results[0]!);
}

function printMemory(result: IdleResult): void {
  const base = serverOf(result.memory[0])?.residentBytes ?? NaN;
  printTable(
    `${result.target}: resident memory (/proc VmRSS; anon = RssAnon, without the mapped workerd binary), MB`,
    ["phase", "server", "server anon", "hasher", "workerd total", "server growth per socket, KB"],
    result.memory.map((sample, index) => [
      sample.phase,
      mb(serverOf(sample)?.residentBytes),
      mb(serverOf(sample)?.anonymousBytes),
      mb(sample.processes.find((process) => process.role === "workerd hasher")?.residentBytes),
      mb(workerdBytes(sample.processes, "residentBytes")),
      index === 0 ? "-" : formatNumber(((serverOf(sample)?.residentBytes ?? NaN) - base) / result.sockets / 1024),
    ]),
  );
  const cpu = [...result.idleCpu].filter(([name]) => name !== "machine");
  console.log(`server RSS while idle, MB: ${result.timeline.join(", ")}`);
  console.log(
    `CPU while idle, % of one core: ${cpu.map(([name, value]) => `${name} ${formatNumber(value)}`).join(", ")}`,
  );
}

/** Server bytes per socket between a quarter and all of the sockets: one more socket's cost. */
function slope(result: IdleResult): number {
  const at = (phase: string) => serverOf(result.memory.find((sample) => sample.phase === phase))?.residentBytes ?? NaN;
  const quarter = Math.round(result.sockets / 4);
  return (at(`${result.sockets} connected`) - at(`${quarter} connected`)) / (result.sockets - quarter);
}

function afterIdle(result: IdleResult): MemorySample {
  return result.memory.find((sample) => sample.phase.endsWith(" idle"))!;
}

function printComparison(results: IdleResult[]): void {
  const [ours, theirs] = results as [IdleResult, IdleResult | undefined];
  const figures: [string, (result: IdleResult) => number][] = [
    ["sockets connected per second", (result) => result.sockets / result.connectSeconds],
    ["server RSS after the idle period, MB", (result) => megabytes(serverOf(afterIdle(result))?.residentBytes ?? NaN)],
    [
      "growth per socket since before connecting, KB",
      (result) =>
        ((serverOf(afterIdle(result))?.residentBytes ?? NaN) - (serverOf(result.memory[0])?.residentBytes ?? NaN)) /
        result.sockets /
        1024,
    ],
    ["slope from a quarter to all sockets, KB per socket", (result) => slope(result) / 1024],
    ["round 1 (waking) ack p50, ms", (result) => result.wake.ack.p50],
    ["round 2 (warm) ack p50, ms", (result) => result.warm.ack.p50],
  ];
  printTable(
    `Chatalot against the reference room (reference-room.js: a bare workerd Durable Object with hibernatable sockets)`,
    ["figure", ours.target, theirs?.target ?? "-", "ratio"],
    figures.map(([name, value]) => {
      const [a, b] = [value(ours), theirs ? value(theirs) : NaN];
      return [name, formatNumber(a), formatNumber(b), Number.isFinite(a / b) ? `${formatNumber(a / b)}x` : "-"];
    }),
  );
}

function printTarget(result: IdleResult): void {
  const total = megabytes(workerdBytes(afterIdle(result).processes, "residentBytes"));
  const extrapolated = total + megabytes(slope(result) * (TARGET_SOCKETS - result.sockets));
  const verdict = total < TARGET_MEGABYTES ? "met" : "NOT met";
  let figure = `${formatNumber(total)} MB (${verdict})`;
  if (result.sockets < EXTRAPOLATE_FROM_SOCKETS) {
    figure = `${formatNumber(total)} MB with ${result.sockets} sockets: too few to extrapolate (warm-up dominates)`;
  } else if (result.sockets < TARGET_SOCKETS) {
    figure =
      `${formatNumber(total)} MB with ${result.sockets}; at the slope, ~${formatNumber(extrapolated)} MB with ` +
      `${TARGET_SOCKETS} (${extrapolated < TARGET_MEGABYTES ? "met" : "NOT met"}, extrapolated)`;
  }
  console.log(
    `target:   workerd processes under ${TARGET_MEGABYTES} MB resident with ${TARGET_SOCKETS} sockets: ${figure}`,
  );
}
