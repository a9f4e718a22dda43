/**
 * The room's call, in memory and in the room's storage. Read once when the object starts
 * (before any event, so every handler sees it without waiting), written after each change
 * but a speaking one: the output gate holds the frames that tell of a change until the
 * write is stored, so no socket hears of a change a restart could forget.
 */
import type { StoredCall, StoredParticipant } from "./call-record.ts";

const CALL_KEY = "call";
const MINUTE_MS = 60_000;

export class CallBook {
  #call: StoredCall | null = null;
  /** Who is speaking now: a hint that changes many times a second, so never stored. */
  readonly speaking = new Set<string>();
  /** Signals counted per participant and kind in the current minute. */
  #signals = new Map<string, { windowStart: number; count: number }>();

  readonly storage: DurableObjectStorage;
  constructor(storage: DurableObjectStorage) {
    this.storage = storage;
  }

  async load(): Promise<void> {
    this.#call = (await this.storage.get<StoredCall>(CALL_KEY)) ?? null;
  }

  get call(): StoredCall | null {
    return this.#call;
  }

  participantOn(connectionId: string): StoredParticipant | undefined {
    return this.#call?.participants.find((participant) => participant.connectionId === connectionId);
  }

  participant(participantId: string): StoredParticipant | undefined {
    return this.#call?.participants.find((participant) => participant.participantId === participantId);
  }

  /** Keeps the call as it is now (or a new one). */
  save(call: StoredCall): void {
    this.#call = call;
    void this.storage.put(CALL_KEY, call);
  }

  forget(participantId: string): void {
    this.speaking.delete(participantId);
    this.#signals.delete(`candidate:${participantId}`);
    this.#signals.delete(`description:${participantId}`);
  }

  clear(): void {
    this.#call = null;
    this.speaking.clear();
    this.#signals.clear();
    void this.storage.delete(CALL_KEY);
  }

  /** Counts one signal of a participant; false past `perMinute` of its kind in the current minute. */
  allowSignal(participantId: string, kind: "candidate" | "description", perMinute: number, now = Date.now()): boolean {
    const key = `${kind}:${participantId}`;
    const window = this.#signals.get(key);
    if (!window || now - window.windowStart >= MINUTE_MS) {
      this.#signals.set(key, { windowStart: now, count: 1 });
      return true;
    }
    window.count++;
    return window.count <= perMinute;
  }

  /** The earliest time something in the call is due: a reconnect grace or the ring running out. */
  nextDeadline(): number | null {
    const call = this.#call;
    if (!call) return null;
    const times = call.participants.flatMap((participant) => participant.reconnectUntil ?? []);
    if (call.ringUntil !== null) times.push(call.ringUntil);
    return times.length > 0 ? Math.min(...times) : null;
  }
}
