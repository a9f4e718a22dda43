/**
 * Web Push under load (issue #23): alice writes to `--people` people, one DM each,
 * at `--rate` messages a second in all, while none of them has a tab open, so every
 * DM is theirs to hear about through the fake push service (test/support/push-service.ts,
 * which checks each push's VAPID signature and decrypts it, as the real edge would, on a
 * thread of its own: bench/push-service-thread.ts).
 * Two servers run the same load, one with Web Push off (no VAPID key) and one with it
 * on, in interleaved windows (off, on, off, on, ...: a machine shared with other work
 * drifts, and interleaving spreads the drift over both). It prints each window, then
 * the medians: alice's send latency (send to ack) on and off, their difference and
 * ratio (what pushes cost the sender, which should be about nothing), the pushes sent
 * a second, and the server's CPU.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx node bench/push.ts [--people 20] [--rate 500] [--seconds 10] [--rounds 3]
 *
 * Each window drains before the next starts: every send acknowledged (or refused, with
 * the reason printed) and, with pushes on, a push naming every DM's last message.
 * Pushes per channel are bounded by design: a channel's activity (and so its
 * notification decision) is coalesced to at most one a second, and one waiting push per
 * channel replaces the previous one. So pushes a second are about `--people`, not `--rate`.
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { startThreadedPushService } from "./push-service-thread.ts";
import { measureWindow, startTarget, stopTarget, type PushTarget, type WindowResult } from "./push-target.ts";
import { formatNumber, summarize } from "./stats.ts";

const { values } = parseArgs({
  options: {
    people: { type: "string", default: "20" },
    rate: { type: "string", default: "500" },
    seconds: { type: "string", default: "10" },
    rounds: { type: "string", default: "3" },
  },
});
const PEOPLE = Number(values.people);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);

interface Measured extends WindowResult {
  load: number;
}

const median = (numbers: number[]) => summarize(numbers).p50;

function describeWindow(name: string, round: number, result: Measured): string {
  const latency = summarize(result.latencies);
  const refused = [...result.refused].map(([code, count]) => `${count} ${code}`).join(", ");
  const unanswered = result.sent - result.acked - [...result.refused.values()].reduce((sum, count) => sum + count, 0);
  return (
    `round ${round} ${name}: ${result.acked}/${result.sent} acked` +
    (refused ? `, refused: ${refused}` : "") +
    (unanswered > 0 ? `, ${unanswered} unanswered after the drain` : "") +
    `; p50 ${formatNumber(latency.p50)} ms, p95 ${formatNumber(latency.p95)} ms, p99 ${formatNumber(latency.p99)} ms; ` +
    `server CPU ${formatNumber(result.serverCpu)} % of a core, machine ${formatNumber(result.machineCpu)} %, ` +
    `load ${formatNumber(result.load)}` +
    (name === "on " ? `; ${result.pushTimes.length} pushes, ${result.unpushed} DMs' last message unpushed` : "")
  );
}

function pushesPerSecond(times: number[]): { average: number; busiest: number } {
  if (times.length === 0) return { average: 0, busiest: 0 };
  const start = Math.min(...times);
  const perSecond = new Map<number, number>();
  for (const at of times)
    perSecond.set(Math.floor((at - start) / 1000), (perSecond.get(Math.floor((at - start) / 1000)) ?? 0) + 1);
  return { average: times.length / Math.max(1, perSecond.size), busiest: Math.max(...perSecond.values()) };
}

const pushService = await startThreadedPushService();
const targets: PushTarget[] = [];
try {
  console.log(
    `alice DMs ${PEOPLE} people at ${RATE} msgs/s, ${ROUNDS} rounds of ${SECONDS} s windows, off and on interleaved`,
  );
  const off = await startTarget(false, PEOPLE, pushService);
  targets.push(off);
  const on = await startTarget(true, PEOPLE, pushService);
  targets.push(on);
  const results: { off: Measured[]; on: Measured[] } = { off: [], on: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, target] of [
      ["off", off],
      ["on ", on],
    ] as const) {
      const load = loadavg()[0]!;
      const result = { ...(await measureWindow(target, pushService, { rate: RATE, seconds: SECONDS, round })), load };
      results[target.isPushOn ? "on" : "off"].push(result);
      console.log(describeWindow(name, round, result));
    }
  }
  const p = (mode: "off" | "on", pick: (latencies: number[]) => number) =>
    median(results[mode].map((r) => pick(r.latencies)));
  const p50 = { off: p("off", (l) => summarize(l).p50), on: p("on", (l) => summarize(l).p50) };
  const p95 = { off: p("off", (l) => summarize(l).p95), on: p("on", (l) => summarize(l).p95) };
  const spread = (mode: "off" | "on") =>
    `${formatNumber(Math.min(...results[mode].map((r) => summarize(r.latencies).p50)))}-` +
    `${formatNumber(Math.max(...results[mode].map((r) => summarize(r.latencies).p50)))}`;
  console.log(
    `medians over ${ROUNDS} rounds: send to ack p50 off ${formatNumber(p50.off)} ms (range ${spread("off")}), ` +
      `on ${formatNumber(p50.on)} ms (range ${spread("on")}); p95 off ${formatNumber(p95.off)} ms, on ${formatNumber(p95.on)} ms`,
  );
  console.log(
    `added send latency with pushes on: p50 ${formatNumber(p50.on - p50.off)} ms (x${formatNumber(p50.on / p50.off)}), ` +
      `p95 ${formatNumber(p95.on - p95.off)} ms (x${formatNumber(p95.on / p95.off)})`,
  );
  const rates = results.on.map((r) => pushesPerSecond(r.pushTimes));
  console.log(
    `pushes: ${results.on.reduce((sum, r) => sum + r.pushTimes.length, 0)} delivered to the push service, ` +
      `${formatNumber(median(rates.map((r) => r.average)))}/s (median of windows; busiest second ${Math.max(...rates.map((r) => r.busiest))}); ` +
      `DMs whose last message went unpushed: ${results.on.reduce((sum, r) => sum + r.unpushed, 0)}; ` +
      `rejected by the push service's checks: ${pushService.rejected.length}`,
  );
  console.log(
    `server CPU (median): off ${formatNumber(median(results.off.map((r) => r.serverCpu)))} %, ` +
      `on ${formatNumber(median(results.on.map((r) => r.serverCpu)))} % of a core; ` +
      `load average ${formatNumber(Math.min(...[...results.off, ...results.on].map((r) => r.load)))}-` +
      `${formatNumber(Math.max(...[...results.off, ...results.on].map((r) => r.load)))}`,
  );
  if (pushService.rejected.length > 0 || results.on.some((r) => r.unpushed > 0)) process.exitCode = 1;
} finally {
  for (const target of targets) for (const target of targets) await stopTarget(target);
  await pushService.stop();
}
