/**
 * Channel socket requests waiting for their answer (`ack` for a send, `done` for
 * the rest). Each goes out under its client id and again under the same id after
 * every reconnect: the server stores a repeated send once, and the other requests
 * (edit, delete, react, pin) say what the end state should be, so a repeat is
 * harmless. One the server could not do yet (`unavailable`, `rate_limited`) is
 * retried with backoff; one it refused stays failed until the user says otherwise.
 */
import type { ClientFrame } from "../../../protocol/index.ts";

/** A message request; `call.join` carries a client id too, but the call model sends its own. */
export type Request = Exclude<Extract<ClientFrame, { clientId: string }>, { type: "call.join" }>;

/** Backoff for requests the server could not do yet or asked to slow down. */
const RETRY_FIRST_DELAY_MS = 1_000;
const RETRY_MAX_DELAY_MS = 30_000;

interface Pending {
  frame: Request;
  attempts: number;
  /** Refused for good: only the user's retry sends it again. */
  isFailed: boolean;
  /** Went out again after a reconnect: the first copy may have been done already. */
  isRepeat: boolean;
  retryTimer?: ReturnType<typeof setTimeout>;
}

export function createPendingRequests(transmit: (frame: Request) => void) {
  const pending = new Map<string, Pending>();
  const send = (entry: Pending) => {
    if (!entry.isFailed) transmit(entry.frame);
  };
  /** Waiting for the moment nothing is on its way (everything answered, or refused for good). */
  const settledWaiters: (() => void)[] = [];
  const isSettled = () => [...pending.values()].every((entry) => entry.isFailed);
  const wakeIfSettled = () => {
    if (isSettled()) settledWaiters.splice(0).forEach((wake) => wake());
  };
  return {
    add(frame: Request) {
      const entry: Pending = { frame, attempts: 0, isFailed: false, isRepeat: false };
      pending.set(frame.clientId, entry);
      send(entry);
    },
    get: (clientId: string) => pending.get(clientId),
    /** The answer came: forget it. */
    settle(clientId: string): Request | null {
      const entry = pending.get(clientId);
      if (!entry) return null;
      clearTimeout(entry.retryTimer);
      pending.delete(clientId);
      wakeIfSettled();
      return entry.frame;
    },
    retryLater(clientId: string) {
      const entry = pending.get(clientId);
      if (!entry) return;
      entry.attempts += 1;
      clearTimeout(entry.retryTimer);
      const delay = Math.min(RETRY_MAX_DELAY_MS, RETRY_FIRST_DELAY_MS * 2 ** (entry.attempts - 1));
      entry.retryTimer = setTimeout(() => send(entry), delay);
    },
    /** Refused: kept (a send shows as failed and may be retried) but not resent on its own. */
    markFailed(clientId: string) {
      const entry = pending.get(clientId);
      if (!entry) return;
      clearTimeout(entry.retryTimer);
      entry.isFailed = true;
      wakeIfSettled();
    },
    /** The user asks again: under the same client id, so a copy that did get through is not doubled. */
    retry(clientId: string) {
      const entry = pending.get(clientId);
      if (!entry) return;
      entry.attempts = 0;
      entry.isFailed = false;
      send(entry);
    },
    /** The same request with a new payload (sealed again after the channel's epoch moved on), sent now. */
    replace(frame: Request) {
      const entry = pending.get(frame.clientId);
      if (!entry) return;
      entry.frame = frame;
      entry.isFailed = false;
      send(entry);
    },
    /** After a reconnect: everything not refused goes out again. */
    resendAll() {
      for (const entry of pending.values()) {
        entry.isRepeat = true;
        send(entry);
      }
    },
    clientIds: () => [...pending.keys()],
    /** Resolves once every request has its answer (or was refused for good). */
    whenSettled: (): Promise<void> =>
      new Promise((resolve) => {
        if (isSettled()) resolve();
        else settledWaiters.push(resolve);
      }),
    dispose() {
      for (const entry of pending.values()) clearTimeout(entry.retryTimer);
    },
  };
}

export type PendingRequests = ReturnType<typeof createPendingRequests>;

/** 128 random bits in hex; getRandomValues, unlike randomUUID, also works on plain-http origins. */
export function newClientId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
