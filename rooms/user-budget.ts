/**
 * What one person may send across all their sockets, in every room together: frames
 * and bytes per second. A socket's own limit (frame-rate-limiter.ts) stops one noisy
 * connection; this stops one person with 32 sockets at 10 frames/s of 64 KiB each
 * (~20 MiB/s written and relayed). The person's UserSockets object keeps the
 * account-wide bucket and grants rooms leases of it, so a room asks once per lease,
 * not once per frame; what a room holds unused is at most one lease. A lease is what
 * the frame at hand needs plus a quarter of what the bucket holds beyond it (up to a
 * full lease): someone sending in many rooms at once gets smaller leases, asked for
 * more often, never a refusal while the account has budget left. (Full leases for
 * every room refused the ninth room's first message: eight had taken the bucket.)
 */

/** Account-wide, for all sockets together: this many sockets' worth of the per-socket frame rate. */
const SOCKETS_WORTH_OF_FRAMES = 3;
/** Account-wide bytes per second (a chat message is a few hundred; files go over HTTP). */
const USER_BYTES_PER_SECOND = 1024 * 1024;
/** What a room asks for at once: a third of a second of the account's frame rate (10 frames at the default 10/s a socket). */
const LEASE_SECONDS = 1 / 3;
const LEASE_BYTES = 256 * 1024;

export interface Lease {
  frames: number;
  bytes: number;
}

/** What a room asks for: at least what the frame at hand needs, ideally a full lease. */
export interface LeaseRequest {
  needed: Lease;
  wanted: Lease;
}

/** Of what the bucket holds beyond the frame at hand, the share a lease may take. */
const LEASE_SHARE = 4;

/** The account-wide bucket, kept by UserSockets; steady rates, and twice that at once. */
export class AccountBucket {
  readonly #framesPerSecond: number;
  #frames: number;
  #bytes = 2 * USER_BYTES_PER_SECOND;
  #at = 0;

  constructor(socketFramesPerSecond: number) {
    this.#framesPerSecond = SOCKETS_WORTH_OF_FRAMES * socketFramesPerSecond;
    this.#frames = 2 * this.#framesPerSecond;
  }

  /** Grants what is needed and some of what is wanted, as far as the bucket holds (see above). */
  lease({ needed, wanted }: LeaseRequest, now: number): Lease {
    const elapsed = this.#at === 0 ? 0 : (now - this.#at) / 1000;
    this.#at = now;
    this.#frames = Math.min(2 * this.#framesPerSecond, this.#frames + elapsed * this.#framesPerSecond);
    this.#bytes = Math.min(2 * USER_BYTES_PER_SECOND, this.#bytes + elapsed * USER_BYTES_PER_SECOND);
    // Short of what the frame needs, in frames or bytes: nothing, rather than a part that
    // would sit unused in a room that refuses the frame anyway.
    if (this.#frames < needed.frames || this.#bytes < needed.bytes) return { frames: 0, bytes: 0 };
    const grant = (need: number, want: number, held: number) =>
      Math.floor(Math.min(Math.max(want, need), need + (held - need) / LEASE_SHARE));
    const granted = {
      frames: grant(needed.frames, wanted.frames, this.#frames),
      bytes: grant(needed.bytes, wanted.bytes, this.#bytes),
    };
    this.#frames -= granted.frames;
    this.#bytes -= granted.bytes;
    return granted;
  }
}

/**
 * A room's share of each person's budget: spent locally, topped up from their
 * UserSockets. While a person's lease is being asked for, their later frames wait
 * behind it in arrival order (asking once, not once per frame, and keeping order).
 */
export class RoomBudgets {
  #held = new Map<string, Lease>();
  /** Per person: the spends waiting for a lease, as the tail of their queue. */
  #waiting = new Map<string, Promise<unknown>>();
  readonly #askForLease: (userId: string, request: LeaseRequest) => Promise<Lease>;
  /** Frames a room asks for at once; each ask is a call to the person's UserSockets object. */
  readonly #leaseFrames: number;

  constructor(askForLease: (userId: string, request: LeaseRequest) => Promise<Lease>, socketFramesPerSecond: number) {
    this.#askForLease = askForLease;
    this.#leaseFrames = Math.max(1, Math.round(SOCKETS_WORTH_OF_FRAMES * socketFramesPerSecond * LEASE_SECONDS));
  }

  /** Spends one frame of `bytes` of `userId`'s budget; false when the account has none left. Synchronous while it has. */
  spend(userId: string, bytes: number): boolean | Promise<boolean> {
    const queued = this.#waiting.get(userId);
    if (!queued && this.#take(userId, bytes)) return true;
    const spent = (queued ?? Promise.resolve()).then(() => this.#spendWithLease(userId, bytes));
    const tail = spent.catch(() => undefined);
    this.#waiting.set(userId, tail);
    void tail.then(() => {
      if (this.#waiting.get(userId) === tail) this.#waiting.delete(userId);
    });
    return spent;
  }

  async #spendWithLease(userId: string, bytes: number): Promise<boolean> {
    if (this.#take(userId, bytes)) return true;
    const held = this.#held.get(userId) ?? { frames: 0, bytes: 0 };
    const granted = await this.#askForLease(userId, {
      needed: { frames: Math.max(1 - held.frames, 0), bytes: Math.max(bytes - held.bytes, 0) },
      wanted: {
        frames: Math.max(this.#leaseFrames - held.frames, 1),
        bytes: Math.max(LEASE_BYTES - held.bytes, bytes - held.bytes),
      },
    });
    this.#held.set(userId, { frames: held.frames + granted.frames, bytes: held.bytes + granted.bytes });
    return this.#take(userId, bytes);
  }

  #take(userId: string, bytes: number): boolean {
    const held = this.#held.get(userId);
    if (!held || held.frames < 1 || held.bytes < bytes) return false;
    held.frames -= 1;
    held.bytes -= bytes;
    return true;
  }
}
