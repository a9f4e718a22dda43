/**
 * How many notification decisions run at once in this isolate. Busy channels close
 * their activity windows together (each at most once a second), and each decision is a
 * statement on the Database object's pool, the one every send's append waits on: twenty
 * at once queued ahead of the appends and the senders waited (bench/push.ts). Through
 * this gate the rest wait here instead, off the pool. Module state on purpose: the pool
 * it protects is shared by every room of the isolate, so the bound must be too.
 */

/** Decisions on the pool at once; the pool holds DATABASE_POOL_SIZE (8 by default, 4 in tests). */
export const NOTIFY_DECISIONS_AT_ONCE = 2;

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `decide` once fewer than NOTIFY_DECISIONS_AT_ONCE decisions are running, in arrival order. */
export async function throughDecisionGate<T>(decide: () => Promise<T>): Promise<T> {
  if (running >= NOTIFY_DECISIONS_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await decide();
  } finally {
    // The slot passes straight to the next in line, or is freed.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}
