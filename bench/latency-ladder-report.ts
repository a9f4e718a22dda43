/**
 * The latency ladder's tables, and issue 22's targets against them: send-to-delivery
 * p99 under 20 ms at 500 msgs/s and under 50 ms at 2,000, p50 under 10 ms up to
 * 2,000; 1,000 clients joined in under 3 s; at most 60% of the ~610 MB held idle
 * before the issue. Targets are meant for the default load (1,000 clients).
 */
import { printTable } from "./report.ts";
import type { StepResult } from "./latency-ladder-steps.ts";
import { megabytes } from "./process-memory.ts";
import { formatNumber } from "./stats.ts";

const JOIN_TARGET_SECONDS = 3;
const MEMORY_BEFORE_MB = 610;
const MEMORY_TARGET_SHARE = 0.6;
const CPU_COLUMNS = ["server", "postgres", "load gen", "reference", "machine"];

export function printLadder(
  results: StepResult[],
  once: { joinSeconds: number; referenceJoinSeconds: number; idleBytes: number; clients: number },
): void {
  const n = formatNumber;
  printTable(
    "Latency ladder: per offered rate (window figures; latencies of the window's messages, drained)",
    [
      ...["target", "offered", "accepted/s", "delivered/s", "ack p50", "ack p95", "ack p99"],
      ...["deliv p50", "deliv p95", "deliv p99", "errors", "left", "out-of-order"],
    ],
    results.map((result) => [
      result.target,
      String(result.offered),
      n(result.acceptedPerSecond),
      n(result.deliveredPerSecond),
      ...[result.ack.p50, result.ack.p95, result.ack.p99].map(n),
      ...[result.delivery.p50, result.delivery.p95, result.delivery.p99].map(n),
      String(result.errors),
      `${result.pending}/${result.undelivered}`,
      String(result.outOfOrder),
    ]),
  );
  console.log("(left: acks / relays still missing when the drain gave up)");
  printTable(
    "CPU during each window, % of one core (server: both workerd processes; machine: % of all cores)",
    ["target", "offered", ...CPU_COLUMNS],
    results.map((result) => [
      result.target,
      String(result.offered),
      ...CPU_COLUMNS.map((group) => n(result.cpu.get(group) ?? NaN)),
    ]),
  );
  printTargets(
    results.filter((result) => result.target === "chatalot"),
    once,
  );
}

function printTargets(
  ours: StepResult[],
  once: { joinSeconds: number; referenceJoinSeconds: number; idleBytes: number; clients: number },
): void {
  const verdict = (isMet: boolean) => (isMet ? "met" : "NOT met");
  const at = (rate: number) => ours.find((result) => result.offered === rate);
  for (const [rate, limit] of [
    [500, 20],
    [2000, 50],
  ] as const) {
    const step = at(rate);
    console.log(
      `target:   delivery p99 < ${limit} ms at ${rate} msgs/s: ` +
        (step
          ? `${formatNumber(step.delivery.p99)} ms (${verdict(step.delivery.p99 < limit)})`
          : "not run (no such step)"),
    );
  }
  const upTo = ours.filter((result) => result.offered <= 2000);
  const worst = Math.max(...upTo.map((result) => result.delivery.p50));
  console.log(
    `target:   delivery p50 < 10 ms up to 2000 msgs/s: ` +
      (upTo.length > 0 ? `worst ${formatNumber(worst)} ms (${verdict(worst < 10)})` : "no step at or below 2000"),
  );
  const reference = Number.isFinite(once.referenceJoinSeconds)
    ? `; the reference ${formatNumber(once.referenceJoinSeconds)} s`
    : "";
  console.log(
    `target:   ${once.clients} clients joined in < ${JOIN_TARGET_SECONDS} s: ${formatNumber(once.joinSeconds)} s ` +
      `(${verdict(once.joinSeconds < JOIN_TARGET_SECONDS)}${once.clients === 1000 ? "" : "; the target is for 1,000"})${reference}`,
  );
  const limit = MEMORY_BEFORE_MB * MEMORY_TARGET_SHARE;
  const held = megabytes(once.idleBytes);
  console.log(
    `target:   idle memory <= ${limit} MB (60% of ${MEMORY_BEFORE_MB}): ${formatNumber(held)} MB ` +
      `(${verdict(held <= limit)}${once.clients === 1000 ? "" : "; the target is for 1,000 clients"})`,
  );
}
