/**
 * Web Push on the wire: the subscription a browser hands the server
 * (PushSubscription.toJSON), the VAPID public key it subscribes with, and the payload
 * a push carries to the service worker: ids only, never content or names.
 */
import { z } from "zod";

/** Longest push endpoint accepted: real ones (FCM, Mozilla, Apple, WNS) are under 600 characters. */
export const PUSH_ENDPOINT_MAX_LENGTH = 1024;
/** Push subscriptions one person may hold (one per signed-in browser); a new one past this replaces the oldest. */
export const PUSH_SUBSCRIPTIONS_PER_USER_MAX = 10;
/** An uncompressed P-256 point (0x04, x, y), as `p256dh` and the VAPID public key are. */
export const P256_PUBLIC_KEY_BYTES = 65;
/** RFC 8291's authentication secret. */
export const PUSH_AUTH_SECRET_BYTES = 16;

/** base64url (RFC 4648 §5) to bytes, padded or not; null when it is not base64url. */
export function base64UrlToBytes(text: string): Uint8Array | null {
  const bare = text.replace(/=+$/, "");
  if (!/^[A-Za-z0-9_-]*$/.test(bare) || bare.length % 4 === 1) return null;
  const binary = atob(
    bare
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(bare.length / 4) * 4, "="),
  );
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}

export function bytesToBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** base64url text of exactly `bytes` bytes (and, for a public key, an uncompressed point). */
const base64UrlKey = (name: string, bytes: number, firstByte?: number) =>
  z
    .string()
    .max(128, `${name} is too long`)
    .refine(
      (text) => {
        const decoded = base64UrlToBytes(text);
        return decoded?.length === bytes && (firstByte === undefined || decoded[0] === firstByte);
      },
      { message: `${name} must be ${bytes} bytes in base64url, as PushSubscription.toJSON() gives it` },
    );

export const pushSubscriptionSchema = z.object({
  endpoint: z.string().max(PUSH_ENDPOINT_MAX_LENGTH, `endpoint must be at most ${PUSH_ENDPOINT_MAX_LENGTH} characters`),
  keys: z.object({
    p256dh: base64UrlKey("keys.p256dh", P256_PUBLIC_KEY_BYTES, 0x04),
    auth: base64UrlKey("keys.auth", PUSH_AUTH_SECRET_BYTES),
  }),
  /** What the browser says about expiry; the server ends pushes with the session instead. */
  expirationTime: z.number().nullable().optional(),
});
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionSchema>;

export const pushUnsubscribeSchema = z.object({
  endpoint: z.string().max(PUSH_ENDPOINT_MAX_LENGTH, `endpoint must be at most ${PUSH_ENDPOINT_MAX_LENGTH} characters`),
});

/** GET /api/push/vapid-public-key: the key to pass as `applicationServerKey`; when it changes, subscribe again. */
export interface VapidPublicKeyView {
  publicKey: string;
}

/** Why a push was sent (rooms/push/push-notice.ts). */
export const PUSH_REASONS = ["dm", "mention", "message"] as const;
export type PushReason = (typeof PUSH_REASONS)[number];

/**
 * What a push carries, encrypted to the subscription (RFC 8291): which message to
 * fetch and why. The service worker fetches and decrypts the message itself.
 */
export const pushPayloadSchema = z.strictObject({
  channelId: z.uuid(),
  communityId: z.uuid().nullable(),
  seq: z.number().int().nonnegative(),
  reason: z.enum(PUSH_REASONS),
});
export type PushPayload = z.infer<typeof pushPayloadSchema>;
