/**
 * The channel socket protocol: JSON frames, one union per direction,
 * discriminated on `type`.
 */
import { z } from "zod";
import type { MessageView } from "./api.ts";
import { CLIENT_ID_MAX_LENGTH, MESSAGE_PAYLOAD_MAX_BYTES } from "./limits.ts";

/** base64 grows 4/3; the decoded size is checked again on the server. */
const BASE64_MAX_LENGTH = Math.ceil(MESSAGE_PAYLOAD_MAX_BYTES / 3) * 4;

export const sendFrameSchema = z.strictObject({
  type: z.literal("send"),
  clientId: z
    .string()
    .min(8)
    .max(CLIENT_ID_MAX_LENGTH)
    .regex(/^[A-Za-z0-9_-]+$/),
  payload: z
    .string()
    .min(1)
    .max(BASE64_MAX_LENGTH)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, "the payload must be base64")
    .refine((value) => value.length % 4 === 0, "the payload must be padded base64"),
});

export const clientFrameSchema = z.discriminatedUnion("type", [sendFrameSchema]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

export type ErrorCode =
  | "frame_too_large"
  | "malformed_frame"
  | "invalid_frame"
  | "payload_too_large"
  | "rate_limited"
  | "missing_permission"
  | "slow_mode"
  | "unavailable"
  | "internal";

/**
 * Close codes a room uses. 4001: the session ended (sign in again). 4003: the
 * person lost access to the channel (kicked, banned, a permission or the channel
 * removed); reconnecting will not help.
 */
export const CLOSE_SESSION_ENDED = 4001;
export const CLOSE_ACCESS_REMOVED = 4003;

export type ServerFrame =
  /** `permissions`: what the person may do in this channel (permission names). */
  | { type: "welcome"; channelId: string; userId: string; permissions: string[] }
  /** Sent when a role, override, time-out or channel setting changed what the person may do. */
  | { type: "permissions"; permissions: string[] }
  | { type: "ack"; clientId: string; message: MessageView }
  | { type: "message"; message: MessageView }
  /** `retryAfterMs`: for slow mode, how long until the next message is accepted. */
  | { type: "error"; code: ErrorCode; message: string; clientId?: string; retryAfterMs?: number };
