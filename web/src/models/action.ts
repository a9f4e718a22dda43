/**
 * One thing a form does on the server: whether it is under way, and why it last
 * failed, in the server's words. Forms share nothing else, so each gets its own.
 */
import { signal } from "@preact/signals";
import { describeError } from "./api-client.ts";

export type Action = ReturnType<typeof createAction>;

export function createAction() {
  const isBusy = signal(false);
  const error = signal<string | null>(null);
  return {
    isBusy,
    error,
    /** Runs `work` unless already running; its result, or null with `error` set. */
    async run<T>(work: () => Promise<T>): Promise<T | null> {
      if (isBusy.peek()) return null;
      isBusy.value = true;
      error.value = null;
      try {
        return await work();
      } catch (caught) {
        error.value = describeError(caught);
        return null;
      } finally {
        isBusy.value = false;
      }
    },
    /** A problem found before asking the server, such as a malformed code. */
    fail(reason: string): false {
      error.value = reason;
      return false;
    },
    reset() {
      error.value = null;
    },
  };
}
