/**
 * The channel socket protocol: JSON frames, one union per direction,
 * discriminated on `type`. docs/api.md ("The channel socket") documents every frame
 * and error code; test/node/protocol-doc.test.ts checks it against this module.
 */
import { z } from "zod";
import { CLIENT_ID_MAX_LENGTH, MESSAGE_PAYLOAD_MAX_BYTES } from "./limits.ts";
import { callClientFrameSchemas, type CallServerFrame } from "./calls.ts";
import { ATTACHMENTS_PER_MESSAGE_MAX } from "./files.ts";
import { emojiSchema, mentionsSchema, type MessageView } from "./messages.ts";

/** base64 grows 4/3; the decoded size is checked again on the server. */
const BASE64_MAX_LENGTH = Math.ceil(MESSAGE_PAYLOAD_MAX_BYTES / 3) * 4;

/** Chosen by the client for each request; answers and errors name it. For a send, it is also the idempotency key. */
const clientIdSchema = z
  .string()
  .min(8)
  .max(CLIENT_ID_MAX_LENGTH)
  .regex(/^[A-Za-z0-9_-]+$/);
const payloadSchema = z
  .string()
  .min(1)
  .max(BASE64_MAX_LENGTH)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, "the payload must be base64")
  .refine((value) => value.length % 4 === 0, "the payload must be padded base64");
const seqSchema = z.number().int().positive();

export const sendFrameSchema = z.strictObject({
  type: z.literal("send"),
  clientId: clientIdSchema,
  payload: payloadSchema,
  replyToSeq: seqSchema.optional(),
  /** Posts into the thread started by this message. */
  threadRootSeq: seqSchema.optional(),
  mentions: mentionsSchema.optional(),
  /**
   * Completed uploads of the sender's in this channel, not yet sent (docs/files.md): the
   * message carries them, and deleting it deletes them. Their keys are in the payload.
   */
  attachments: z.array(z.uuid()).min(1).max(ATTACHMENTS_PER_MESSAGE_MAX).optional(),
});

/** A sealed deletion is a short envelope: far below a message's cap (base64 characters). */
export const DELETION_PROOF_MAX_LENGTH = 1024;

const onMessage = <T extends string>(type: T) =>
  z.strictObject({ type: z.literal(type), clientId: clientIdSchema, seq: seqSchema });

export const clientFrameSchema = z.discriminatedUnion("type", [
  sendFrameSchema,
  onMessage("edit").extend({ payload: payloadSchema }),
  /** `proof`: the sender's deletion, sealed by their device (base64): kept in the message's place. */
  onMessage("delete").extend({ proof: payloadSchema.max(DELETION_PROOF_MAX_LENGTH).optional() }),
  onMessage("react").extend({ emoji: emojiSchema }),
  onMessage("unreact").extend({ emoji: emojiSchema }),
  onMessage("pin"),
  onMessage("unpin"),
  z.strictObject({ type: z.literal("typing") }),
  /** Everything up to `seq` is read (positions only move forward). */
  z.strictObject({ type: z.literal("read"), seq: z.number().int().min(0) }),
  /** Send me every message created or changed after this event (0: from the start). */
  z.strictObject({ type: z.literal("resume"), afterEvent: z.number().int().min(0) }),
  ...callClientFrameSchemas,
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;
export type ClientFrameType = ClientFrame["type"];

export const ERROR_CODES = [
  "frame_too_large",
  "malformed_frame",
  "invalid_frame",
  "payload_too_large",
  "rate_limited",
  "missing_permission",
  "slow_mode",
  "no_such_message",
  "not_yours",
  "limit_reached",
  "stale_epoch",
  /** A call frame from a socket that is not in the channel's call, or naming someone who is not. */
  "not_in_call",
  /** This device is in the call already (from another socket): join with `rejoin`, or leave there. */
  "already_in_call",
  /** The call holds CALL_MAX_PARTICIPANTS, or a text channel of a community (calls are in voice channels). */
  "call_unavailable",
  /** A send's attachment that is not a completed, unsent upload of the sender's in this channel. */
  "invalid_attachment",
  "unavailable",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Close codes a room uses. 4001: the session ended (sign in again). 4003: the
 * person lost access to the channel (kicked, banned, a permission or the channel
 * removed); reconnecting will not help. 4029: the account holds too many sockets.
 */
export const CLOSE_SESSION_ENDED = 4001;
export const CLOSE_ACCESS_REMOVED = 4003;
export const CLOSE_TOO_MANY_SOCKETS = 4029;

export type ServerFrame =
  /** `permissions`: what the person may do here; `lastSeq`/`lastEvent`: where the channel is now. */
  | {
      type: "welcome";
      channelId: string;
      userId: string;
      permissions: string[];
      lastSeq: number;
      lastEvent: number;
    }
  /** Sent when a role, override, time-out or channel setting changed what the person may do. */
  | { type: "permissions"; permissions: string[] }
  /** A send was stored (committed in PostgreSQL). */
  | { type: "ack"; clientId: string; message: MessageView }
  /** Someone else's new message. */
  | { type: "message"; message: MessageView }
  /** An edit, deletion, reaction or pin the requester asked for was stored. */
  | { type: "done"; clientId: string; message: MessageView }
  /** Someone else changed a message: replace the view held for `message.seq` if this event is newer. */
  | { type: "update"; message: MessageView }
  | { type: "typing"; userId: string; username: string }
  /** Another device of the same person read up to `seq`. */
  | { type: "read"; seq: number }
  /** A page of the messages created or changed since the resume point, in event order. */
  | { type: "sync"; messages: MessageView[] }
  /**
   * Everything up to `lastEvent` was sent. With `hasMore`, the client was too far behind
   * for one resume (1,000 messages at most): it resumes again from `lastEvent`.
   */
  | { type: "synced"; lastEvent: number; hasMore: boolean }
  /**
   * The channel's MLS group accepted a commit built on `epoch` (now epoch + 1), in
   * base64. Without `commit` (larger than MLS_HANDSHAKE_COMMIT_MAX_BYTES), a client
   * fetches it: GET /api/channels/:id/mls?fromEpoch=epoch. A client skips epochs it
   * is past; missed ones come from the same log.
   */
  | { type: "handshake"; epoch: number; commit?: string; committerDeviceId: string }
  /** `retryAfterMs`: for slow mode, how long until the next message is accepted. */
  | { type: "error"; code: ErrorCode; message: string; clientId?: string; retryAfterMs?: number }
  /**
   * Several frames at once, in order: what the room had for this socket in one turn (under
   * load, the acks and relays of a batch stored in one commit). Handle each as if it had
   * come alone (`unpackFrames`). Never nested.
   */
  | { type: "frames"; frames: ServerFrame[] }
  | CallServerFrame;

export type ServerFrameType = ServerFrame["type"];

/** Every server frame type, at run time (for the documentation check). */
export const SERVER_FRAME_TYPES = [
  "welcome",
  "permissions",
  "ack",
  "message",
  "done",
  "update",
  "typing",
  "read",
  "sync",
  "synced",
  "handshake",
  "error",
  "frames",
  "call.joined",
  "call.roster",
  "call.signal",
  "call.speaking",
  "call.left",
  "call.ended",
] as const satisfies readonly ServerFrameType[];
// Fails to compile when a frame type is missing from the list above.
const everyServerFrameListed: [Exclude<ServerFrameType, (typeof SERVER_FRAME_TYPES)[number]>] extends [never]
  ? true
  : never = true;
void everyServerFrameListed;

/** The frames one socket message carries: the frames of a `frames` batch, or the frame itself. */
export function unpackFrames(frame: ServerFrame): ServerFrame[] {
  return frame.type === "frames" ? frame.frames : [frame];
}

/** The subprotocol a client offers, and the server selects, when it opens a socket. */
export const SOCKET_PROTOCOL = "chatalot";
/** The socket ticket travels as the subprotocol `chatalot.ticket.<ticket>`, never in the URL (proxy logs). */
export const SOCKET_TICKET_PROTOCOL_PREFIX = "chatalot.ticket.";

/** What a client passes as `new WebSocket(url, protocols)` to open a socket with `ticket`. */
export function socketProtocols(ticket: string): string[] {
  return [SOCKET_PROTOCOL, `${SOCKET_TICKET_PROTOCOL_PREFIX}${ticket}`];
}
