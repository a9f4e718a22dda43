/**
 * Opening the message a notification is about. A click reaches the service worker,
 * which focuses a window of the app and posts it `open-notification` (or opens a new
 * window at the channel's path with `?message=<seq>`); the page goes to the channel,
 * and the channel's view, once open, jumps to that message (`take`).
 */
import { effect, signal } from "@preact/signals";
import type { Router } from "../router.ts";

/** The query parameter a new window is opened with: the message's seq. */
export const MESSAGE_PARAMETER = "message";

export interface NotificationJump {
  channelId: string;
  seq: number;
}

/** What the service worker posts to a window when one of its notifications is clicked. */
export interface OpenNotificationMessage {
  type: "open-notification";
  path: string;
  channelId: string;
  seq: number;
}

const pending = signal<NotificationJump | null>(null);

const isOpenMessage = (data: unknown): data is OpenNotificationMessage => {
  const value = data as Partial<OpenNotificationMessage> | null;
  return (
    value?.type === "open-notification" &&
    typeof value.path === "string" &&
    value.path.startsWith("/") &&
    typeof value.channelId === "string" &&
    typeof value.seq === "number"
  );
};

export const notificationJumps = {
  pending,
  /** Follows the service worker's messages while the calling model lives, and a `?message=` this page opened with. */
  listen(router: Router): void {
    const url = new URL(location.href);
    const seq = Number(url.searchParams.get(MESSAGE_PARAMETER));
    const route = router.route.peek();
    if (Number.isSafeInteger(seq) && seq > 0 && (route.name === "channel" || route.name === "dm")) {
      pending.value = { channelId: route.channelId, seq };
      url.searchParams.delete(MESSAGE_PARAMETER);
      router.replace(url.pathname + url.search);
    }
    if (!("serviceWorker" in navigator)) return;
    const onMessage = (event: MessageEvent<unknown>) => {
      if (!isOpenMessage(event.data)) return;
      if (event.data.seq > 0) pending.value = { channelId: event.data.channelId, seq: event.data.seq };
      router.navigate(event.data.path);
    };
    effect(() => {
      navigator.serviceWorker.addEventListener("message", onMessage);
      return () => navigator.serviceWorker.removeEventListener("message", onMessage);
    });
  },
  /** The jump waiting for this channel, taken once. */
  take(channelId: string): number | null {
    const jump = pending.peek();
    if (jump?.channelId !== channelId) return null;
    pending.value = null;
    return jump.seq;
  },
};
