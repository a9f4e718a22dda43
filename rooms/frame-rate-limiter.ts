/**
 * A token bucket per connection: a burst of frames is fine, a flood is answered
 * with an error frame instead of a database write and a broadcast each. Kept in
 * memory: a room that hibernates forgets it, which only ever grants a fresh burst.
 */
const BURST = 20;
const FRAMES_PER_SECOND = 10;

export class FrameRateLimiter {
  #buckets = new Map<string, { tokens: number; at: number }>();

  allow(connectionId: string, now = Date.now()): boolean {
    const bucket = this.#buckets.get(connectionId) ?? { tokens: BURST, at: now };
    bucket.tokens = Math.min(BURST, bucket.tokens + ((now - bucket.at) / 1000) * FRAMES_PER_SECOND);
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
