/**
 * One push as an HTTP request (RFC 8030): the payload, ids only, encrypted to the
 * subscription as RFC 8291 (aes128gcm) by @block65/webcrypto-web-push on WebCrypto,
 * signed with VAPID, with a TTL, an urgency and a topic so that a push service keeps
 * only the newest pending push of one channel.
 */
import { encryptNotification } from "@block65/webcrypto-web-push";
import type { PushPayload } from "../../protocol/push.ts";
import type { PushNotice } from "./push-notice.ts";
import { vapidAuthorization, type VapidKeys } from "./vapid.ts";

export interface PushTarget {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/**
 * How long a push service keeps a push for a device that is offline: a DM or a mention
 * an hour, a channel's ordinary message ten minutes. Later, the person opens the app and
 * sees it there anyway.
 */
export const PUSH_TTL_SECONDS: Record<PushNotice["reason"], number> = {
  dm: 60 * 60,
  mention: 60 * 60,
  message: 10 * 60,
};

/** RFC 8030 §5.3: `high` may wake a sleeping phone, for what a person is waiting to hear. */
const URGENCY: Record<PushNotice["reason"], "high" | "normal"> = { dm: "high", mention: "high", message: "normal" };

/**
 * RFC 8030 §5.4: a Topic is at most 32 base64url characters. A channel id without its
 * dashes is exactly 32 hex digits: one topic per channel, so a push service replaces a
 * channel's pending push with the newer one instead of queueing both.
 */
export const pushTopic = (channelId: string) => channelId.replaceAll("-", "");

/** The payload the service worker gets: which message, and why; nothing a push service could read. */
export const pushPayload = (notice: PushNotice): PushPayload => ({
  channelId: notice.channelId,
  communityId: notice.communityId,
  seq: notice.seq,
  reason: notice.reason,
});

export async function pushRequest(
  target: PushTarget,
  notice: PushNotice,
  vapid: { keys: VapidKeys; subject: string },
  ttlSeconds: number,
): Promise<Request> {
  const body = await encryptNotification(
    { endpoint: target.endpoint, expirationTime: null, keys: { p256dh: target.p256dh, auth: target.auth } },
    new TextEncoder().encode(JSON.stringify(pushPayload(notice))),
  );
  const endpoint = new URL(target.endpoint);
  return new Request(endpoint, {
    method: "POST",
    headers: {
      Authorization: await vapidAuthorization(vapid.keys, endpoint.origin, vapid.subject),
      "Content-Encoding": "aes128gcm",
      "Content-Type": "application/octet-stream",
      TTL: String(Math.max(0, Math.floor(ttlSeconds))),
      Urgency: URGENCY[notice.reason],
      Topic: pushTopic(notice.channelId),
    },
    body,
    // A push service never redirects; following one could lead anywhere (issue #23: no request forging).
    redirect: "manual",
  });
}
