/**
 * "bob is typing…": who is writing in the channel right now, and telling the
 * others when the user is. The room relays a typing frame at most once every
 * 3 s per socket, so a name stays lit a little longer than that and goes out
 * when its message arrives or when the frames stop.
 */
import { computed, signal } from "@preact/signals";

/** How long a name stays after its last typing frame. */
const TYPING_SHOWN_MS = 5_000;
/** The room relays one typing frame per 3 s: sending more often would only be dropped. */
const TYPING_SEND_INTERVAL_MS = 3_000;

interface Typist {
  userId: string;
  username: string;
  until: number;
}

export function createTypingIndicator() {
  const typists = signal<Typist[]>([]);
  let timer: ReturnType<typeof setTimeout> | undefined;

  const prune = () => {
    clearTimeout(timer);
    const now = Date.now();
    const still = typists.peek().filter((typist) => typist.until > now);
    if (still.length !== typists.peek().length) typists.value = still;
    if (still.length > 0) timer = setTimeout(prune, Math.min(...still.map((typist) => typist.until)) - now + 10);
  };

  return {
    names: computed(() => typists.value.map((typist) => typist.username)),
    heard(userId: string, username: string) {
      const until = Date.now() + TYPING_SHOWN_MS;
      typists.value = [...typists.peek().filter((typist) => typist.userId !== userId), { userId, username, until }];
      prune();
    },
    /** Their message arrived: they are done typing it. */
    stopped(userId: string) {
      if (typists.peek().some((typist) => typist.userId === userId)) {
        typists.value = typists.peek().filter((typist) => typist.userId !== userId);
      }
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}

/** Sends a typing frame on a keystroke, at most once per interval; `send` is false while offline. */
export function createTypingAnnouncer(send: () => boolean) {
  let lastSentAt = 0;
  return {
    typed() {
      const now = Date.now();
      if (now - lastSentAt >= TYPING_SEND_INTERVAL_MS && send()) lastSentAt = now;
    },
    /** The message went: the next keystroke starts a new one. */
    sent() {
      lastSentAt = 0;
    },
  };
}
