/** Printing results: the run's context, then plain fixed-width tables on stdout. */
import { cpus, loadavg, release, totalmem, type as osType } from "node:os";
import { relative } from "node:path";
import { formatNumber, type Summary } from "./stats.ts";

/** Above this, the single-threaded load generator, not the server, may be the limit. */
const LOAD_GENERATOR_SATURATED_PERCENT = 85;
/** Above this (% of one core), something outside the bench competed for the CPU. */
const OTHER_LOAD_PERCENT = 25;

export interface ScenarioResult {
  scenario: string;
  target: string;
  seconds: number;
  sentPerSecond: number;
  ackedPerSecond: number;
  relayedPerSecond: number;
  ack: Summary;
  delivery: Summary;
  counts: {
    sent: number;
    acked: number;
    failed: number;
    pending: number;
    expected: number;
    delivered: number;
    unexpected: number;
    outOfOrder: number;
    errors: number;
  };
  errorSamples: string[];
  cpu: Map<string, number>;
}

/** The command as it was run, with any password in DATABASE_URL masked. */
export function commandLine(): string {
  const databaseUrl = process.env.DATABASE_URL;
  let prefix = "";
  if (databaseUrl) {
    const url = URL.canParse(databaseUrl) ? new URL(databaseUrl) : undefined;
    if (url?.password) url.password = "***";
    prefix = `DATABASE_URL=${url?.toString() ?? "(set)"} `;
  }
  const script = relative(process.cwd(), process.argv[1] ?? "bench/run.ts") || "bench/run.ts";
  return `${prefix}${relative(process.cwd(), process.execPath)} ${[script, ...process.argv.slice(2)].join(" ")}`;
}

export function machineLine(): string {
  const cores = cpus();
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");
  return (
    `${osType()} ${release()}, ${cores.length} CPUs (${cores[0]?.model ?? "unknown"}), ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load average at start ${load}`
  );
}

export function printTable(title: string, headers: string[], rows: string[][]): void {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join("  ");
  console.log(`\n${title}`);
  console.log(line(headers));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) console.log(line(row));
}

export function printResults(results: ScenarioResult[], cpuGroups: string[]): void {
  const n = formatNumber;
  printTable(
    "Throughput (per second of the timed window) and delivery (counts include the warm-up and the drain)",
    [
      ...["scenario", "target", "secs", "sent/s", "acked/s", "relayed/s"],
      ...["acked", "delivered/expected", "errors", "unexpected", "out-of-order"],
    ],
    results.map((result) => [
      result.scenario,
      result.target,
      n(result.seconds),
      n(result.sentPerSecond),
      n(result.ackedPerSecond),
      n(result.relayedPerSecond),
      `${result.counts.acked}/${result.counts.sent}`,
      `${result.counts.delivered}/${result.counts.expected}`,
      String(result.counts.errors + result.counts.failed + result.counts.pending),
      String(result.counts.unexpected),
      String(result.counts.outOfOrder),
    ]),
  );
  printTable(
    "Latency, ms (send -> ack at the sender; send -> relay at each other member)",
    [
      "scenario",
      "target",
      "ack p50",
      "ack p95",
      "ack p99",
      "ack max",
      "relay p50",
      "relay p95",
      "relay p99",
      "relay max",
    ],
    results.map((result) => [
      result.scenario,
      result.target,
      ...[result.ack.p50, result.ack.p95, result.ack.p99, result.ack.max].map(n),
      ...[result.delivery.p50, result.delivery.p95, result.delivery.p99, result.delivery.max].map(n),
    ]),
  );
  printTable(
    "CPU during the timed window, % of one core (other: the rest of the machine; machine: % of all cores)",
    ["scenario", "target", ...cpuGroups, "other", "machine"],
    results.map((result) => [
      result.scenario,
      result.target,
      ...[...cpuGroups, "other", "machine"].map((group) => n(result.cpu.get(group) ?? NaN)),
    ]),
  );
  const disturbed = results.filter((result) => (result.cpu.get("other") ?? 0) >= OTHER_LOAD_PERCENT);
  if (disturbed.length > 0) {
    const where = disturbed.map((result) => `${result.scenario} / ${result.target}`).join(", ");
    console.log(`note: other processes took CPU during ${where}: those figures are low; rerun on a quiet machine`);
  }
  for (const result of results) {
    const loadGenerator = result.cpu.get("load gen") ?? 0;
    if (loadGenerator >= LOAD_GENERATOR_SATURATED_PERCENT) {
      console.log(
        `note: the load generator ran at ${formatNumber(loadGenerator)}% of a core in ` +
          `${result.scenario} / ${result.target}: that throughput is a lower bound of what the server can take`,
      );
    }
  }
  const problems = results.filter((result) => result.errorSamples.length > 0);
  for (const result of problems) {
    console.log(`\n${result.scenario} / ${result.target}: first errors:\n  ${result.errorSamples.join("\n  ")}`);
  }
}

/** Chatalot's figure against the reference's, for each scenario both ran. */
export function printRatios(results: ScenarioResult[]): void {
  const rows: string[][] = [];
  const find = (scenario: string, target: string) =>
    results.find((r) => r.scenario === scenario && r.target === target);
  for (const scenario of new Set(results.map((result) => result.scenario))) {
    const ours = find(scenario, "chatalot");
    const theirs = find(scenario, "reference");
    const bare = find(scenario, "workerd room");
    if (!ours || !theirs) continue;
    const figures: [string, (result: ScenarioResult) => number, boolean][] = [
      ["acked/s", (result) => result.ackedPerSecond, true],
      ["relayed/s", (result) => result.relayedPerSecond, ours.delivery.count > 0],
      ["ack p50 ms", (result) => result.ack.p50, true],
      ["relay p50 ms", (result) => result.delivery.p50, ours.delivery.count > 0],
    ];
    for (const [figure, value, isShown] of figures) {
      if (!isShown) continue;
      const [a, b] = [value(ours), value(theirs)];
      const ratio = (x: number) => (b > 0 && Number.isFinite(x) ? `${formatRatio(x / b)}x` : "-");
      const row = [scenario, figure, formatNumber(a), formatNumber(b), ratio(a)];
      rows.push(bare ? [...row, formatNumber(value(bare)), ratio(value(bare))] : row);
    }
  }
  printTable(
    "Chatalot vs the reference broadcast server (ratio = Chatalot / reference; a bare workerd room beside it)",
    ["scenario", "figure", "chatalot", "reference", "ratio", "workerd room", "its ratio"].slice(
      0,
      rows.some((row) => row.length > 5) ? 7 : 5,
    ),
    rows,
  );
}

/** Two significant digits below 0.1, so 0.0042 does not print as 0.00. */
function formatRatio(ratio: number): string {
  return ratio > 0 && ratio < 0.1 ? ratio.toPrecision(2) : formatNumber(ratio);
}
