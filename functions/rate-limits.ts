/**
 * Short rate-limit windows (up to five minutes), counted in memory by one object
 * for the whole installation: every app instance asks the same object, so the
 * count is shared, and a hit costs no database write. A restart forgets at most
 * five minutes of counting, which is why longer windows (registrations, joins)
 * and sign-in lockouts stay in PostgreSQL (functions/abuse.ts).
 */
import { DurableObject } from "cloudflare:workers";
import { readConfig } from "./config.ts";

/** Windows up to this long are counted here; longer ones in PostgreSQL. */
export const MEMORY_WINDOW_MAX_SECONDS = 5 * 60;
/** Expired windows are dropped at most this often. */
const SWEEP_INTERVAL_MS = 60_000;

export interface WindowHit {
  count: number;
  /** Epoch milliseconds when the window starts again from zero. */
  resetsAt: number;
}

/**
 * Fixed windows per key: the first hit opens one, hits count up until it ends.
 * Holds at most `capacity` live windows. When a flood from many addresses has
 * filled them, a newcomer is not counted here at all (`hit` answers null) and
 * the caller counts it in PostgreSQL: every address keeps a window of its own,
 * so a flood can cost database writes but never a stranger's requests.
 */
export class RateWindows {
  #windows = new Map<string, WindowHit>();
  #nextSweep = 0;

  constructor(readonly capacity: number) {}

  hit(name: string, address: string, windowSeconds: number, now: number): WindowHit | null {
    if (now >= this.#nextSweep) this.#sweep(now);
    const key = `${name}:${address}`;
    let window = this.#windows.get(key);
    if (!window && this.#windows.size >= this.capacity) return null;
    if (!window || window.resetsAt <= now) {
      window = { count: 0, resetsAt: now + windowSeconds * 1000 };
      this.#windows.set(key, window);
    }
    window.count++;
    return { ...window };
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
