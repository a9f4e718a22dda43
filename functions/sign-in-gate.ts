/**
 * Who may have a password checked right now. One scrypt check holds the hasher for
 * ~0.4 s, so 200 sign-ins at once from 200 addresses once made a real one wait 51 s.
 * The hasher takes checks in turn, so whoever is admitted waits behind those admitted
 * before: the gate bounds the checks in flight (strangers to `limit`, devices and addresses
 * that signed in before to four times that) and, once failed sign-ins across the
 * installation pass `failuresPerMinute`, turns strangers away until the minute ends
 * (a circuit breaker): a flood then costs the server a refusal, not a hash. Kept by
 * the RateLimits object, the one place every app instance asks.
 */

/** A check that never reported back (its isolate died) frees its slot after this. */
const SLOT_TIMEOUT_MS = 30_000;
const MINUTE_MS = 60_000;
/** How much more room a device or address that signed in before gets. */
const KNOWN_CLIENT_FACTOR = 4;

export type GateAnswer =
  { admitted: true; slot: number } | { admitted: false; retryAfterSeconds: number; reason: "busy" | "breaker" };

export class SignInGate {
  /** Slot -> when it expires, and whether a known client holds it. */
  #slots = new Map<number, { expiresAt: number; isKnownClient: boolean }>();
  #nextSlot = 1;
  #failures = 0;
  #failureWindowEndsAt = 0;

  admit(isKnownClient: boolean, limits: { queued: number; failuresPerMinute: number }, now: number): GateAnswer {
    for (const [slot, { expiresAt }] of this.#slots) if (expiresAt <= now) this.#slots.delete(slot);
    // The breaker: this minute's failures judged against the caller's threshold (its configuration).
    const isTripped = now < this.#failureWindowEndsAt && this.#failures >= limits.failuresPerMinute;
    if (!isKnownClient && isTripped) {
      const retryAfterSeconds = Math.ceil((this.#failureWindowEndsAt - now) / 1000);
      return { admitted: false, reason: "breaker", retryAfterSeconds };
    }
    // Two pools: strangers cannot take the known clients' room, nor known clients the strangers'.
    const room = isKnownClient ? limits.queued * KNOWN_CLIENT_FACTOR : limits.queued;
    let inPool = 0;
    for (const held of this.#slots.values()) if (held.isKnownClient === isKnownClient) inPool++;
    if (inPool >= room) return { admitted: false, reason: "busy", retryAfterSeconds: 2 };
    const slot = this.#nextSlot++;
    this.#slots.set(slot, { expiresAt: now + SLOT_TIMEOUT_MS, isKnownClient });
    return { admitted: true, slot };
  }

  /** Checks admitted and not yet released nor timed out: the hasher's queue (a metric). */
  inFlight(now: number): number {
    let held = 0;
    for (const { expiresAt } of this.#slots.values()) if (expiresAt > now) held++;
    return held;
  }

  release(slot: number): void {
    this.#slots.delete(slot);
  }

  /** A password (or code) was wrong somewhere on the installation. */
  failed(now: number): void {
    if (now >= this.#failureWindowEndsAt) {
      this.#failures = 0;
      this.#failureWindowEndsAt = now + MINUTE_MS;
    }
    this.#failures++;
  }
}
