/**
 * Waiting out a bad line before an upload tries again: a growing pause (or the
 * server's Retry-After), cut short the moment the browser says it is back online; and
 * while it says it is offline, no try at all.
 */
import { ApiError } from "../api-client.ts";

const RETRY_FIRST_DELAY_MS = 1_000;
const RETRY_MAX_DELAY_MS = 30_000;

/** Resolves once the browser believes it is online (at once when it already does). */
export function untilOnline(signal?: AbortSignal): Promise<void> {
  return wait(signal, (wake) => {
    if (navigator.onLine) return wake();
    window.addEventListener("online", wake);
    return () => window.removeEventListener("online", wake);
  });
}

/** The pause before try `attempt + 1` after `caught`; rejects with the signal's reason when it is aborted. */
export async function waitBeforeRetry(attempt: number, signal: AbortSignal, caught: unknown): Promise<void> {
  if (!navigator.onLine) return untilOnline(signal);
  const asked = caught instanceof ApiError ? caught.retryAfterSeconds : null;
  const backoff = Math.min(RETRY_MAX_DELAY_MS, RETRY_FIRST_DELAY_MS * 2 ** attempt);
  // A little spread, so the uploads of one page (and of many pages after an outage) do not retry in step.
  const delay = asked !== null ? asked * 1000 : backoff * (0.75 + Math.random() * 0.5);
  return wait(signal, (wake) => {
    const timer = setTimeout(wake, delay);
    window.addEventListener("online", wake);
    return () => {
      clearTimeout(timer);
      window.removeEventListener("online", wake);
    };
  });
}

/** Resolves when `start`'s wake is called, rejects when `signal` aborts first; either way cleans up. */
function wait(signal: AbortSignal | undefined, start: (wake: () => void) => (() => void) | void): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    let cleanUp: (() => void) | void = undefined;
    let isDone = false;
    const finish = (outcome: () => void) => {
      if (isDone) return;
      isDone = true;
      cleanUp?.();
      signal?.removeEventListener("abort", onAbort);
      outcome();
    };
    const onAbort = () => finish(() => reject(signal?.reason));
    signal?.addEventListener("abort", onAbort);
    cleanUp = start(() => finish(resolve));
    if (isDone) cleanUp?.();
  });
}
