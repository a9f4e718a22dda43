/**
 * The three ways of loading a session: one sender waiting for each ack, a fixed
 * total rate spread over the senders (open loop: sends are not held back when the
 * server falls behind, so queueing shows up in the latencies), and as fast as acks
 * allow with K messages outstanding per sender.
 */
import type { LoadSession, Member } from "./load-session.ts";

/** How often the fixed-rate loop wakes to send what is due. */
const TICK_MS = 2;
/** A sequential run gives up when one ack takes this long. */
const STALL_TIMEOUT_MS = 15_000;

export interface Window {
  seconds: number;
  /** Acks and relayed frames received inside the timed window. */
  acks: number;
  deliveries: number;
  sent: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The senders of a session: the first `perChannel` members of each channel. */
export function sendersOf(session: LoadSession, perChannel: number): Member[] {
  return session.members.filter((member) => member.position < perChannel);
}

/** `count` messages from one member, each sent when the previous one settled. */
export async function runSequential(session: LoadSession, sender: Member, count: number): Promise<void> {
  let remaining = count;
  await new Promise<void>((resolve, reject) => {
    let stall: ReturnType<typeof setTimeout> | undefined;
    const next = () => {
      clearTimeout(stall);
      if (remaining-- === 0) return resolve();
      stall = setTimeout(() => reject(new Error(`no ack within ${STALL_TIMEOUT_MS} ms`)), STALL_TIMEOUT_MS);
      session.send(sender);
    };
    session.onSettle = next;
    next();
  }).finally(() => (session.onSettle = undefined));
}

export async function runFixedRate(
  session: LoadSession,
  senders: Member[],
  rate: number,
  seconds: number,
): Promise<Window> {
  const before = { acks: session.acks, deliveries: session.deliveries };
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - start;
      const due = Math.floor((rate * Math.min(elapsed, seconds * 1000)) / 1000);
      for (; sent < due; sent++) session.send(senders[sent % senders.length]!);
      if (elapsed >= seconds * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  return windowSince(session, before, start, sent);
}

export async function runWindowed(
  session: LoadSession,
  senders: Member[],
  window: number,
  seconds: number,
): Promise<Window> {
  const before = { acks: session.acks, deliveries: session.deliveries };
  const start = performance.now();
  const end = start + seconds * 1000;
  const isSender = new Set(senders);
  let sent = 0;
  session.onSettle = (member) => {
    if (performance.now() < end && isSender.has(member)) {
      session.send(member);
      sent++;
    }
  };
  for (let slot = 0; slot < window; slot++) {
    for (const sender of senders) {
      session.send(sender);
      sent++;
    }
  }
  await sleep(seconds * 1000);
  session.onSettle = undefined;
  return windowSince(session, before, start, sent);
}

/** Waits until every message is acked or refused and every relay has arrived, or the timeout. */
export async function drain(session: LoadSession, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const counts = session.counts();
    if (counts.pending === 0 && counts.delivered === counts.expected) return;
    await sleep(20);
  }
}

type Counters = { acks: number; deliveries: number };

function windowSince(session: LoadSession, before: Counters, start: number, sent: number): Window {
  return {
    seconds: (performance.now() - start) / 1000,
    acks: session.acks - before.acks,
    deliveries: session.deliveries - before.deliveries,
    sent,
  };
}
