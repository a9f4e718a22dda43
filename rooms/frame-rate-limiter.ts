/**
 * A token bucket per connection: a burst of frames is fine, a flood is answered
 * with an error frame instead of a database write and a broadcast each. Kept in
 * memory: a room that hibernates forgets it, which only ever grants a fresh burst.
 */
export const DEFAULT_FRAMES_PER_SECOND = 10;

export class FrameRateLimiter {
  #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #perSecond: number;
  /** Twice the steady rate may arrive at once. */
  readonly #burst: number;

  constructor(framesPerSecond = DEFAULT_FRAMES_PER_SECOND) {
    this.#perSecond = framesPerSecond;
    this.#burst = 2 * framesPerSecond;
  }

  allow(connectionId: string, now = Date.now()): boolean {
    const bucket = this.#buckets.get(connectionId) ?? { tokens: this.#burst, at: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#perSecond);
    bucket.at = now;
    const isAllowed = bucket.tokens >= 1;
    if (isAllowed) bucket.tokens -= 1;
    this.#buckets.set(connectionId, bucket);
    return isAllowed;
  }

  forget(connectionId: string): void {
    this.#buckets.delete(connectionId);
  }
}
