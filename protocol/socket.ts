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
  | "unavailable"
  | "internal";

export type ServerFrame =
  | { type: "welcome"; channelId: string; userId: string }
  | { type: "ack"; clientId: string; message: MessageView }
  | { type: "message"; message: MessageView }
  | { type: "error"; code: ErrorCode; message: string; clientId?: string };
