/**
 * The account socket as state: the user's own status (and choosing it), the
 * presence of the people they share a community with, and the news other models
 * act on: activity in a channel, a read on another device, a list that changed,
 * a reconnect after which anything may have been missed.
 */
import { computed, createModel, effect, signal } from "@preact/signals";
import { shownStatus, type EventsServerFrame, type PresenceStatus, type ShownStatus } from "../../../protocol/index.ts";
import { openEventsSocket } from "./events-socket.ts";
import type { Session } from "./session.ts";

export type AccountNews =
  | Extract<EventsServerFrame, { type: "activity" | "read" | "changed" | "call" }>
  /** The socket is back after a drop: frames may have been missed, lists may be stale. */
  | { type: "reconnected" };

/** With no keyboard or pointer input for this long, an "online" user shows as idle. */
const IDLE_AFTER_MS = 5 * 60_000;
/**
 * The server keeps one status per person. This browser remembers that it, not the
 * person, made them idle, so it makes them online again on their next input, even
 * in another tab or after a reload.
 */
const AUTO_IDLE_KEY = "chatalot-auto-idle";
/** The server takes one status change a second; a quicker one is sent again after this. */
const STATUS_RETRY_MS = 1_100;
const INPUT_EVENTS = ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"] as const;

export const AccountEventsModel = createModel((session: Session) => {
  const ownUserId = session.user.peek()?.id ?? "";
  const status = signal<PresenceStatus>("online");
  const presence = signal<ReadonlyMap<string, ShownStatus>>(new Map());
  const isConnected = signal(false);
  const listeners = new Set<(news: AccountNews) => void>();
  let isSnapshotNext = false;
  let hasConnected = false;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let statusRetryTimer: ReturnType<typeof setTimeout> | undefined;
  /** A status chosen here that the server has not confirmed yet: older news must not overwrite it. */
  let unconfirmed: PresenceStatus | null = null;

  const tell = (news: AccountNews) => {
    for (const listener of listeners) listener(news);
  };

  const choose = (next: PresenceStatus) => {
    clearTimeout(statusRetryTimer);
    status.value = next;
    unconfirmed = next;
    socket.send({ type: "status", status: next });
  };

  const isAutoIdle = () => localStorage.getItem(AUTO_IDLE_KEY) === "1";
  const setAutoIdle = (isIdle: boolean) =>
    isIdle ? localStorage.setItem(AUTO_IDLE_KEY, "1") : localStorage.removeItem(AUTO_IDLE_KEY);

  function noticeInput(): void {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (status.peek() !== "online") return;
      setAutoIdle(true);
      choose("idle");
    }, IDLE_AFTER_MS);
    if (status.peek() === "idle" && isAutoIdle()) {
      setAutoIdle(false);
      choose("online");
    }
  }

  function connected(hello: Extract<EventsServerFrame, { type: "hello" }>): void {
    isConnected.value = true;
    // A choice made while disconnected goes out now; otherwise the server's status stands.
    if (unconfirmed !== null && unconfirmed !== hello.status) choose(unconfirmed);
    else {
      status.value = hello.status;
      unconfirmed = null;
    }
    // The presence frame right after hello is a snapshot: whoever it leaves out is offline.
    isSnapshotNext = true;
    if (hasConnected) tell({ type: "reconnected" });
    hasConnected = true;
    noticeInput();
  }

  function receive(frame: Exclude<EventsServerFrame, { type: "activities" }>): void {
    switch (frame.type) {
      case "hello":
        // The status chosen, here or on another device (unless a later choice made here is on its way).
        if (unconfirmed === null || unconfirmed === frame.status) status.value = frame.status;
        if (unconfirmed === frame.status) unconfirmed = null;
        return;
      case "presence": {
        const next = new Map(isSnapshotNext ? [] : presence.peek());
        isSnapshotNext = false;
        for (const user of frame.users) next.set(user.userId, user.status);
        presence.value = next;
        return;
      }
      case "activity":
      case "read":
      case "changed":
      case "call":
        return tell(frame);
      case "error":
        // A status chosen too soon after the last one: the latest choice goes again in a moment.
        if (frame.code === "rate_limited")
          statusRetryTimer = setTimeout(() => choose(unconfirmed ?? status.peek()), STATUS_RETRY_MS);
        else console.warn(`account socket: ${frame.message}`);
        return;
      default:
        return assertNever(frame);
    }
  }

  const socket = openEventsSocket(session, {
    onConnected: connected,
    onFrame: receive,
    onOffline() {
      isConnected.value = false;
    },
  });
  effect(() => {
    const onInput = throttle(noticeInput, 1_000);
    for (const name of INPUT_EVENTS) addEventListener(name, onInput, { passive: true });
    return () => {
      for (const name of INPUT_EVENTS) removeEventListener(name, onInput);
      clearTimeout(idleTimer);
      clearTimeout(statusRetryTimer);
      socket.close();
    };
  });

  return {
    status,
    isConnected,
    /** What others see of each person (absent: offline); the user's own follows their chosen status. */
    statuses: computed((): ReadonlyMap<string, ShownStatus> => {
      const all = new Map(presence.value);
      all.set(ownUserId, shownStatus(status.value));
      return all;
    }),
    setStatus(next: PresenceStatus) {
      setAutoIdle(false);
      choose(next);
    },
    /**
     * Connects afresh, so the server subscribes the socket to the user's communities
     * again. Creating a community does not tell an open account socket about it (the
     * server only does so for joining), so without this the creator would see no
     * presence or activity there until the next reconnect.
     */
    resubscribe() {
      socket.reconnect();
    },
    /** Tells the server the person is using this page now (issue #23: no Web Push meanwhile); false when offline. */
    sendActive: (): boolean => socket.send({ type: "active" }),
    /** Calls `listener` with each piece of news until the returned function is called. */
    listen(listener: (news: AccountNews) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
});

export type AccountEvents = InstanceType<typeof AccountEventsModel>;

function throttle(work: () => void, intervalMs: number): () => void {
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    work();
  };
}

function assertNever(value: never): never {
  throw new Error(`unhandled frame ${JSON.stringify(value)}`);
}
