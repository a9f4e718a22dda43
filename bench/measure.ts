/**
 * The three measured scenarios against one target: each connects a fresh session,
 * warms up where it matters, runs a timed window with CPU sampled around it, drains,
 * and closes its sockets.
 */
import type { BenchOptions } from "./flags.ts";
import { cpuPercent, sampleCpu, type CpuGroup } from "./cpu-usage.ts";
import { LoadSession } from "./load-session.ts";
import type { ScenarioResult } from "./report.ts";
import { drain, runFixedRate, runSequential, runWindowed, sendersOf, type Window } from "./scenarios.ts";
import { summarize } from "./stats.ts";
import type { Target } from "./target.ts";

// Each scenario says `return await finish(...)`: without the await, `finally` would close
// the sockets as soon as finish() first yields, losing the acks and relays of the tail.

/** Unmeasured sequential messages first: the database pool connects lazily (~50 ms each). */
const WARM_UP_MESSAGES = 20;
const WARM_UP_SECONDS = 0.5;
const DRAIN_TIMEOUT_MS = 10_000;
const CPU_MIN_WINDOW_SECONDS = 0.5;

export interface Measurement {
  options: BenchOptions;
  cpuGroups: CpuGroup[];
  /** Brings group pids up to date (the database's backends) before a window starts. */
  refreshCpuGroups(): Promise<void>;
  /** Messages acked across all scenarios, warm-ups included (to compare with the stored rows). */
  totalAcked: number;
}

export async function measureLatency(target: Target, run: Measurement): Promise<ScenarioResult> {
  const session = await LoadSession.connect(target, [target.latencyChannel], 1, run.options.payloadBytes);
  try {
    const sender = session.members[0]!;
    await runSequential(session, sender, WARM_UP_MESSAGES);
    session.startMeasuring();
    const before = await startCpuWindow(run);
    const start = performance.now();
    await runSequential(session, sender, run.options.latencyMessages);
    const seconds = (performance.now() - start) / 1000;
    const window: Window = {
      seconds,
      acks: session.ackLatencies.length,
      deliveries: 0,
      sent: run.options.latencyMessages,
    };
    return await finish(session, run, "latency (sequential)", target, window, before);
  } finally {
    session.close();
  }
}

export async function measureFanOut(target: Target, run: Measurement): Promise<ScenarioResult> {
  const { options } = run;
  const session = await LoadSession.connect(target, target.channels, options.members, options.payloadBytes);
  try {
    const senders = sendersOf(session, options.senders);
    await runFixedRate(session, senders, options.rate, WARM_UP_SECONDS);
    await drain(session, DRAIN_TIMEOUT_MS);
    session.startMeasuring();
    const before = await startCpuWindow(run);
    const window = await runFixedRate(session, senders, options.rate, options.seconds);
    return await finish(session, run, `fan-out ${options.rate}/s`, target, window, before);
  } finally {
    session.close();
  }
}

export async function measureMaxThroughput(target: Target, run: Measurement): Promise<ScenarioResult> {
  const { options } = run;
  const session = await LoadSession.connect(target, target.channels, options.members, options.payloadBytes);
  try {
    const senders = sendersOf(session, options.senders);
    const before = await startCpuWindow(run);
    const window = await runWindowed(session, senders, options.window, options.seconds);
    return await finish(session, run, `max, window ${options.window}`, target, window, before);
  } finally {
    session.close();
  }
}

async function startCpuWindow(run: Measurement) {
  await run.refreshCpuGroups();
  return sampleCpu(run.cpuGroups);
}

async function finish(
  session: LoadSession,
  run: Measurement,
  scenario: string,
  target: Target,
  window: Window,
  cpuBefore: ReturnType<typeof sampleCpu>,
): Promise<ScenarioResult> {
  // /proc counts CPU in 10 ms ticks: over a shorter window the percentages are noise.
  const cpu =
    window.seconds >= CPU_MIN_WINDOW_SECONDS
      ? cpuPercent(cpuBefore, sampleCpu(run.cpuGroups))
      : new Map<string, number>();
  await drain(session, DRAIN_TIMEOUT_MS);
  const counts = session.counts();
  if (target.name === "chatalot") run.totalAcked += counts.acked;
  const result: ScenarioResult = {
    scenario,
    target: target.name,
    seconds: window.seconds,
    sentPerSecond: window.sent / window.seconds,
    ackedPerSecond: window.acks / window.seconds,
    relayedPerSecond: window.deliveries / window.seconds,
    ack: summarize(session.ackLatencies),
    delivery: summarize(session.deliveryLatencies),
    counts,
    errorSamples: [...session.errorSamples, ...session.ledger.describePending(5)],
    cpu,
  };
  const { ack } = result;
  console.log(
    `  ${scenario} / ${target.name}: ${Math.round(result.ackedPerSecond)} acked/s, ack p50 ${ack.p50.toFixed(2)} ms, ` +
      `delivered ${counts.delivered}/${counts.expected}, errors ${counts.errors + counts.failed + counts.pending}`,
  );
  return result;
}
