/**
 * Marking the open channel read: whenever its newest message is on screen in a
 * visible, focused page, the room hears `read` with that seq. Read positions are
 * the person's, shared by their devices, and only ever move forward.
 */
import { effect, type ReadonlySignal } from "@preact/signals";

export function createReadMarker(newestSeq: ReadonlySignal<number | null>, send: (seq: number) => boolean) {
  let readSeq = 0;
  const isLooking = () => document.visibilityState === "visible" && document.hasFocus();

  const markIfLooking = () => {
    const newest = newestSeq.peek();
    if (newest === null || newest <= readSeq || !isLooking()) return;
    if (send(newest)) readSeq = newest;
  };

  // Created while the chat model is built, so disposing the model removes the listeners.
  effect(() => {
    void newestSeq.value;
    markIfLooking();
  });
  effect(() => {
    addEventListener("focus", markIfLooking);
    document.addEventListener("visibilitychange", markIfLooking);
    return () => {
      removeEventListener("focus", markIfLooking);
      document.removeEventListener("visibilitychange", markIfLooking);
    };
  });

  return {
    /** Another device read up to here. */
    heard(seq: number) {
      readSeq = Math.max(readSeq, seq);
    },
    /** A new connection: a read sent as the last one failed may not have arrived; the server ignores repeats. */
    reconnected() {
      readSeq = 0;
      markIfLooking();
    },
  };
}
