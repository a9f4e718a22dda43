/**
 * One rung of the latency ladder against one target: open loop at a fixed offered
 * rate, sends due every 1 ms dealt round-robin over a shuffled list of every client
 * (so each sends rate/N a second, and no channel's senders come in a block), a
 * warm-up, the measured window with CPU sampled around it, then a drain that waits
 * for every ack and relay (or gives up and says what was left).
 */
import { cpuPercent, sampleCpu, type CpuGroup } from "./cpu-usage.ts";
import type { LoadSession, Member } from "./load-session.ts";
import { drain } from "./scenarios.ts";
import { summarize, type Summary } from "./stats.ts";

const TICK_MS = 1;
/** Long enough for every room to wake and every client to send once at the lower rates. */
const WARM_UP_MAX_SECONDS = 5;
const WARM_UP_MIN_SECONDS = 1;
const DRAIN_TIMEOUT_MS = 15_000;
const ERROR_SAMPLES_SHOWN = 5;

export interface StepResult {
  target: string;
  offered: number;
  seconds: number;
  sent: number;
  acceptedPerSecond: number;
  deliveredPerSecond: number;
  ack: Summary;
  delivery: Summary;
  /** Error frames, refusals, sockets lost; and what the drain left behind. */
  errors: number;
  /** Refused by an error frame: not acked, yet maybe stored (an answer lost after the commit). */
  failed: number;
  pending: number;
  undelivered: number;
  outOfOrder: number;
  /** The first error frames and failures, and messages still unacked after the drain. */
  errorSamples: string[];
  /** Acked in the whole step, warm-up included (to compare with the stored rows). */
  acked: number;
  cpu: Map<string, number>;
}

export interface Ladder {
  session: LoadSession;
  /** Every client, shuffled once: the order sends are dealt in. */
  order: Member[];
  cpuGroups: CpuGroup[];
  refreshCpuGroups(): Promise<void>;
}

/** Fisher-Yates: a fixed list in random order, so a step's sends spread over every channel. */
export function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

/** Sends at `rate` msgs/s for `seconds`, continuing the round-robin at `cursor`; returns messages sent. */
export function sendAtRate(ladder: Ladder, rate: number, seconds: number, cursor: { next: number }): Promise<number> {
  const start = performance.now();
  let sent = 0;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const elapsed = Math.min(performance.now() - start, seconds * 1000);
      for (const due = Math.floor((rate * elapsed) / 1000); sent < due; sent++) {
        ladder.session.send(ladder.order[cursor.next++ % ladder.order.length]!);
      }
      if (elapsed >= seconds * 1000) {
        clearInterval(timer);
        resolve(sent);
      }
    }, TICK_MS);
  });
}

/**
 * `onWindow` runs around the measured window and its drain (the spans' snapshots):
 * before() after the warm-up drained, after() once the window's messages drained.
 */
export async function runStep(
  ladder: Ladder,
  target: string,
  rate: number,
  seconds: number,
  onWindow?: { before(): Promise<void>; after(): Promise<void> },
): Promise<StepResult> {
  const { session } = ladder;
  session.reset();
  const cursor = { next: 0 };
  const warmUp = Math.min(WARM_UP_MAX_SECONDS, Math.max(WARM_UP_MIN_SECONDS, ladder.order.length / rate));
  await sendAtRate(ladder, rate, warmUp, cursor);
  await drain(session, DRAIN_TIMEOUT_MS);
  await onWindow?.before();
  session.startMeasuring();
  const before = { acks: session.acks, deliveries: session.deliveries };
  await ladder.refreshCpuGroups();
  const cpuBefore = sampleCpu(ladder.cpuGroups);
  const start = performance.now();
  const sent = await sendAtRate(ladder, rate, seconds, cursor);
  const elapsed = (performance.now() - start) / 1000;
  const cpu = cpuPercent(cpuBefore, sampleCpu(ladder.cpuGroups));
  // Acks and relays inside the window: what the server kept up with while offered `rate`.
  const accepted = session.acks - before.acks;
  const delivered = session.deliveries - before.deliveries;
  await drain(session, DRAIN_TIMEOUT_MS);
  await onWindow?.after();
  const counts = session.counts();
  return {
    target,
    offered: rate,
    seconds: elapsed,
    sent,
    acceptedPerSecond: accepted / elapsed,
    deliveredPerSecond: delivered / elapsed,
    // Latencies of the window's messages, their tails drained: none is cut off by the window's end.
    ack: summarize(session.ackLatencies),
    delivery: summarize(session.deliveryLatencies),
    errors: counts.errors + counts.failed,
    failed: counts.failed,
    pending: counts.pending,
    undelivered: counts.expected - counts.delivered,
    outOfOrder: counts.outOfOrder,
    errorSamples: [...session.errorSamples, ...session.ledger.describePending(ERROR_SAMPLES_SHOWN)],
    acked: counts.acked,
    cpu,
  };
}
