/**
 * Short rate-limit windows (up to five minutes), counted in memory by one object
 * for the whole installation: every app instance asks the same object, so the
 * count is shared, and a hit costs no database write. A restart forgets at most
 * five minutes of counting, which is why longer windows (registrations, joins)
 * and sign-in lockouts stay in PostgreSQL (functions/abuse.ts).
 */
import { DurableObject } from "cloudflare:workers";
import { metricsSnapshot, setGauge, type MetricsSnapshot } from "../db/index.ts";
import { readConfig } from "./config.ts";
import { SignInGate, type GateAnswer } from "./sign-in-gate.ts";

/** Windows up to this long are counted here; longer ones in PostgreSQL. */
export const MEMORY_WINDOW_MAX_SECONDS = 5 * 60;
/** Expired windows are dropped at most this often. */
const SWEEP_INTERVAL_MS = 60_000;

export interface WindowHit {
  count: number;
  /** Epoch milliseconds when the window starts again from zero. */
  resetsAt: number;
}

/** A window, or (`inDatabase`) a mark that the key is counted in PostgreSQL until `resetsAt`. */
interface Window extends WindowHit {
  inDatabase?: true;
}

/**
 * Fixed windows per key: the first hit opens one, hits count up until it ends.
 * Holds at most `capacity` live windows. When a flood from many addresses has
 * filled them, a newcomer is not counted here (`hit` answers null) and the caller
 * counts it in PostgreSQL: every address keeps a window of its own, so a flood
 * costs database writes but does not get a stranger refused. No key is counted
 * in both places at once: newcomers go on to PostgreSQL until the longest window
 * sent there while full has ended, and one sent there once room was back leaves
 * a mark that keeps it there while its window there may run.
 */
export class RateWindows {
  #windows = new Map<string, Window>();
  #nextSweep = 0;
  /** Newcomers go to PostgreSQL until then: keys sent there while full left no mark. */
  #spillUntil = 0;

  readonly capacity: number;
  constructor(capacity: number) {
    this.capacity = capacity;
  }

  hit(name: string, address: string, windowSeconds: number, now: number): WindowHit | null {
    if (now >= this.#nextSweep) this.#sweep(now);
    const key = `${name}:${address}`;
    const length = windowSeconds * 1000;
    const current = this.#windows.get(key);
    const running = current && current.resetsAt > now ? current : undefined;
    const hasRoom = current !== undefined || this.#windows.size < this.capacity;
    if (running?.inDatabase || (!running && (!hasRoom || now < this.#spillUntil))) {
      if (hasRoom) {
        const resetsAt = Math.max(running?.resetsAt ?? 0, now + length);
        this.#windows.set(key, { count: 0, resetsAt, inDatabase: true });
      } else {
        this.#spillUntil = Math.max(this.#spillUntil, now + length);
      }
      return null;
    }
    const window = running ?? { count: 0, resetsAt: now + length };
    window.count++;
    this.#windows.set(key, window);
    return { count: window.count, resetsAt: window.resetsAt };
  }

  get size(): number {
    return this.#windows.size;
  }

  #sweep(now: number): void {
    for (const [key, window] of this.#windows) if (window.resetsAt <= now) this.#windows.delete(key);
    this.#nextSweep = now + SWEEP_INTERVAL_MS;
  }
}

export class RateLimits extends DurableObject {
  #windows: RateWindows | undefined;
  #signInGate = new SignInGate();

  /** A place in the password-check queue (functions/sign-in-gate.ts), or why not. */
  admitPasswordCheck(isKnownClient: boolean, limits: { queued: number; failuresPerMinute: number }): GateAnswer {
    return this.#signInGate.admit(isKnownClient, limits, Date.now());
  }

  releasePasswordCheck(slot: number): void {
    this.#signInGate.release(slot);
  }

  /** This isolate's metrics, with the sign-in gate's queue as it stands now (functions/routes/metrics.ts). */
  metrics(): MetricsSnapshot {
    setGauge("chatalot_password_checks_in_flight", {}, this.#signInGate.inFlight(Date.now()));
    return metricsSnapshot();
  }

  signInFailed(): void {
    this.#signInGate.failed(Date.now());
  }

  /**
   * Counts one request by `address` to routes named `name`; null when the
   * windows are full and this address has none (count it in PostgreSQL).
   */
  hit(name: string, address: string, windowSeconds: number): WindowHit | null {
    if (!(windowSeconds > 0 && windowSeconds <= MEMORY_WINDOW_MAX_SECONDS)) {
      throw new RangeError(`a memory window lasts 1 to ${MEMORY_WINDOW_MAX_SECONDS} seconds`);
    }
    this.#windows ??= new RateWindows(readConfig(this.env).RATE_LIMIT_MEMORY_WINDOWS);
    return this.#windows.hit(name, address, windowSeconds, Date.now());
  }
}
