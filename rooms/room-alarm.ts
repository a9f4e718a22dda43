/**
 * A Durable Object has one alarm; a channel room needs it for two things: the periodic
 * re-check of everyone's access while sockets are open, and its call's deadlines (a
 * reconnect grace, a ring running out). This keeps when the re-check is due (in storage,
 * so it holds across hibernation) and sets the alarm to the earliest of the two.
 */

/**
 * How often a room with open sockets reads everyone's access again, to catch a push that was
 * lost. Each check costs a few queries per connected person (bench/README.md measured 755
 * queries/s at 9,000 sockets with one minute), so it is rare; pushes do the real work.
 */
export const ACCESS_RECHECK_MS = 5 * 60_000;
const ACCESS_RECHECK_KEY = "access-recheck-at";

export class RoomAlarm {
  #recheckAt: number | null = null;

  readonly storage: DurableObjectStorage;
  constructor(storage: DurableObjectStorage) {
    this.storage = storage;
  }

  async load(): Promise<void> {
    this.#recheckAt = (await this.storage.get<number>(ACCESS_RECHECK_KEY)) ?? null;
  }

  /** A socket is open: a re-check comes within ACCESS_RECHECK_MS (an earlier one stays). */
  socketOpened(now = Date.now()): void {
    if (this.#recheckAt === null) this.#setRecheck(now + ACCESS_RECHECK_MS);
  }

  isRecheckDue(now = Date.now()): boolean {
    return this.#recheckAt !== null && this.#recheckAt <= now;
  }

  /** A re-check ran: the next one in ACCESS_RECHECK_MS, or none while no socket is open. */
  rechecked(hasSockets: boolean, now = Date.now()): void {
    this.#setRecheck(hasSockets ? now + ACCESS_RECHECK_MS : null);
  }

  /** Sets the alarm to the earliest of the re-check and `callDeadline`. */
  schedule(callDeadline: number | null): void {
    const times = [this.#recheckAt, callDeadline].filter((time) => time !== null);
    if (times.length > 0) void this.storage.setAlarm(Math.min(...times));
  }

  #setRecheck(at: number | null): void {
    this.#recheckAt = at;
    if (at === null) void this.storage.delete(ACCESS_RECHECK_KEY);
    else void this.storage.put(ACCESS_RECHECK_KEY, at);
  }
}
