/**
 * The three measured scenarios against one target: each warms up where it matters,
 * runs a timed window with CPU sampled around it, and drains.
 */
import type { BenchOptions } from "./flags.ts";
import { cpuPercent, sampleCpu, type CpuGroup } from "./cpu-usage.ts";
import { LoadSession } from "./load-session.ts";
import type { ScenarioResult } from "./report.ts";
import { drain, runFixedRate, runSequential, runWindowed, sendersOf, type Window } from "./scenarios.ts";
import { formatNumber, percentileBySecond, summarize } from "./stats.ts";
import type { Target } from "./target.ts";

// measureLatency says `return await finish(...)`: without the await, `finally` would close
// the sockets as soon as finish() first yields, losing the acks and relays of the tail.

/** Unmeasured sequential messages first: the database pool connects lazily (~50 ms each). */
const WARM_UP_MESSAGES = 20;
const WARM_UP_SECONDS = 0.5;
const DRAIN_TIMEOUT_MS = 10_000;
const CPU_MIN_WINDOW_SECONDS = 0.5;
/** Sockets dialled at once: enough to keep the server busy, few enough not to time out. */
const CONNECT_CONCURRENCY = 16;

export interface Measurement {
  options: BenchOptions;
  cpuGroups: CpuGroup[];
  /** Brings group pids up to date (the database's backends) before a window starts. */
  refreshCpuGroups(): Promise<void>;
  /** Messages acked across all scenarios, warm-ups included (to compare with the stored rows). */
  totalAcked: number;
}

async function measureLatency(target: Target, run: Measurement): Promise<ScenarioResult> {
  const session = await connect(target, [target.latencyChannel], 1, run);
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
    await session.close();
  }
}

/**
 * The three scenarios against one target. Fan-out and max throughput share one
 * session of channels x members sockets: connecting 1,000 sockets to Chatalot takes
 * tens of seconds, and a fresh ledger between them keeps their counts apart.
 */
export async function measureTarget(target: Target, run: Measurement): Promise<ScenarioResult[]> {
  const results = [await measureLatency(target, run)];
  const session = await connect(target, target.channels, run.options.members, run);
  try {
    results.push(await measureFanOut(session, target, run));
    session.reset();
    results.push(await measureMaxThroughput(session, target, run));
  } finally {
    await session.close();
  }
  return results;
}

async function measureFanOut(session: LoadSession, target: Target, run: Measurement): Promise<ScenarioResult> {
  const { options } = run;
  const senders = sendersOf(session, options.senders);
  // Unmeasured: one message from every sender at the same rate. Rooms idle for 10 s have
  // hibernated since their sockets connected; waking one reloads each sender's access
  // from the database at their first message. That start is printed, not measured.
  const warmUpSeconds = Math.max(WARM_UP_SECONDS, senders.length / options.rate);
  await runFixedRate(session, senders, options.rate, warmUpSeconds);
  await drain(session, DRAIN_TIMEOUT_MS);
  const warmUp = summarize(session.deliveryLatencies);
  console.log(
    `  fan-out warm-up / ${target.name}: ${Math.round(warmUpSeconds * options.rate)} messages in ` +
      `${formatNumber(warmUpSeconds)} s, one from each sender: relay p50 ${formatNumber(warmUp.p50)} ms, ` +
      `p99 ${formatNumber(warmUp.p99)} ms`,
  );
  session.startMeasuring();
  const before = await startCpuWindow(run);
  const window = await runFixedRate(session, senders, options.rate, options.seconds);
  return await finish(session, run, `fan-out ${options.rate}/s`, target, window, before);
}

async function measureMaxThroughput(session: LoadSession, target: Target, run: Measurement): Promise<ScenarioResult> {
  const { options } = run;
  const senders = sendersOf(session, options.senders);
  const before = await startCpuWindow(run);
  const window = await runWindowed(session, senders, options.window, options.seconds);
  return await finish(session, run, `max, window ${options.window}`, target, window, before);
}

async function connect(target: Target, channels: string[], members: number, run: Measurement) {
  const start = performance.now();
  const session = await LoadSession.connect(target, channels, members, run.options.payloadBytes, {
    concurrency: CONNECT_CONCURRENCY,
  });
  if (session.members.length > 1) {
    const seconds = (performance.now() - start) / 1000;
    console.log(
      `  ${target.name}: ${session.members.length} sockets connected in ${seconds.toFixed(1)} s ` +
        `(${Math.round(session.members.length / seconds)}/s)`,
    );
  }
  return session;
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
  if (session.deliveryLatencies.length > 0) {
    const bySecond = percentileBySecond(session.deliveryLatencies, session.deliverySentAt, 99);
    console.log(`    relay p99 (ms) of the messages sent in each second: ${bySecond.map(formatNumber).join(" ")}`);
  }
  return result;
}
