/**
 * Web Push in the service worker. A push carries ids only ({channelId, communityId,
 * seq, reason}, protocol/push.ts), so the worker names what it can without the
 * network: the place's name as the page last saw it ("#general, Zebra Club"), and
 * "New message" / "You were mentioned". It does not fetch or decrypt the message:
 * the page's session lives in the page's memory (the worker could only mint one from
 * the refresh cookie, which would keep a device "in use" for ever, past the 30 days
 * after which pushes stop), and the device's MLS state is the page's, saved after
 * every step under a lock the worker would have to share with every open tab.
 * When a window of the app is focused the person is looking at the page, which
 * shows its own notifications: the push is dropped.
 */
import { placeLabelOf } from "../src/models/notifications/place-labels.ts";

interface PushPayload {
  channelId: string;
  communityId: string | null;
  seq: number;
  reason: "dm" | "mention" | "message";
}

/** What a click hands the page (web/src/models/notifications/notification-jumps.ts). */
interface NotificationData {
  path: string;
  channelId: string;
  seq: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REASON_WORDS: Record<PushPayload["reason"], string> = {
  dm: "New message",
  mention: "You were mentioned",
  message: "New message",
};

function payloadOf(data: PushMessageData | null): PushPayload | null {
  let value: Partial<PushPayload> | null;
  try {
    value = data?.json() as Partial<PushPayload> | null;
  } catch {
    return null;
  }
  if (!value || typeof value.channelId !== "string" || !UUID.test(value.channelId)) return null;
  if (value.communityId !== null && (typeof value.communityId !== "string" || !UUID.test(value.communityId)))
    return null;
  if (!Number.isSafeInteger(value.seq) || !value.reason || !(value.reason in REASON_WORDS)) return null;
  return value as PushPayload;
}

const pathOf = (payload: PushPayload) =>
  payload.communityId
    ? `/communities/${payload.communityId}/channels/${payload.channelId}`
    : `/dms/${payload.channelId}`;

async function windows(worker: ServiceWorkerGlobalScope): Promise<readonly WindowClient[]> {
  return worker.clients.matchAll({ type: "window", includeUncontrolled: true });
}

export async function showPush(worker: ServiceWorkerGlobalScope, data: PushMessageData | null): Promise<void> {
  const payload = payloadOf(data);
  if (!payload) return;
  if ((await windows(worker)).some((client) => client.focused && client.visibilityState === "visible")) return;
  const place = await placeLabelOf(payload.channelId);
  const notificationData: NotificationData = { path: pathOf(payload), channelId: payload.channelId, seq: payload.seq };
  await worker.registration.showNotification(place ?? "Chatalot", {
    body: REASON_WORDS[payload.reason],
    tag: payload.channelId,
    data: notificationData,
    icon: "/icons/icon-192.png",
    badge: "/icons/icon-192.png",
  });
}

function dataOf(data: unknown): NotificationData | null {
  const value = data as Partial<NotificationData> | null;
  if (!value || typeof value.path !== "string" || !value.path.startsWith("/") || value.path.startsWith("//"))
    return null;
  return { path: value.path, channelId: String(value.channelId ?? ""), seq: Number(value.seq) || 0 };
}

/** Focuses a window of the app and tells it where to go, or opens one there. */
export async function openNotification(worker: ServiceWorkerGlobalScope, data: unknown): Promise<void> {
  const target = dataOf(data);
  if (!target) return;
  const open = await windows(worker);
  const client = open.find((candidate) => candidate.focused) ?? open[0];
  if (client) {
    await client.focus().catch(() => undefined);
    client.postMessage({ type: "open-notification", ...target });
    return;
  }
  const url = new URL(target.path, worker.location.origin);
  if (target.seq > 0) url.searchParams.set("message", String(target.seq));
  await worker.clients.openWindow(url.href);
}
