/**
 * Chat in a channel room: parse each frame, check the sender may send (permission,
 * time-out, read-only, slow mode), store the message in PostgreSQL, then
 * acknowledge it to the sender and relay it to everyone else. A message is only
 * acknowledged after it is committed.
 */
import type { Connection } from "partyserver";
import { DatabaseError, query, type MessageRecord } from "../db/index.ts";
import {
  base64ToBytes,
  clientFrameSchema,
  has,
  Permission,
  MESSAGE_PAYLOAD_MAX_BYTES,
  SOCKET_FRAME_MAX_BYTES,
  type ClientFrame,
  type ServerFrame,
} from "../protocol/index.ts";
import type { Member } from "./identity.ts";
import { messageView } from "./message-view.ts";
import type { RoomAccess } from "./room-access.ts";

export interface ChatRoom {
  name: string;
  database: Env["DATABASE"];
  access: RoomAccess;
  broadcast(message: string, without?: string[]): void;
  /** Appends run one at a time so messages are relayed in sequence order. */
  enqueue<T>(work: () => Promise<T>): Promise<T>;
}

export function send(connection: Connection, frame: ServerFrame): void {
  connection.send(JSON.stringify(frame));
}

export async function receiveFrame(room: ChatRoom, connection: Connection<Member>, raw: unknown): Promise<void> {
  const frame = parseFrame(raw);
  if ("error" in frame) return send(connection, frame.error);
  switch (frame.type) {
    case "send":
      return sendMessage(room, connection, frame);
    default:
      return assertNever(frame.type);
  }
}

function parseFrame(raw: unknown): ClientFrame | { error: ServerFrame } {
  const error = (code: "frame_too_large" | "malformed_frame" | "invalid_frame", message: string) => ({
    error: { type: "error", code, message } satisfies ServerFrame,
  });
  if (typeof raw !== "string") return error("malformed_frame", "frames are JSON text, not binary");
  if (raw.length > SOCKET_FRAME_MAX_BYTES) {
    return error("frame_too_large", `frames are limited to ${SOCKET_FRAME_MAX_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return error("malformed_frame", "the frame is not valid JSON");
  }
  const parsed = clientFrameSchema.safeParse(json);
  if (!parsed.success) {
    return error(
      "invalid_frame",
      parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
    );
  }
  return parsed.data;
}

async function sendMessage(
  room: ChatRoom,
  connection: Connection<Member>,
  frame: Extract<ClientFrame, { type: "send" }>,
): Promise<void> {
  const member = connection.state!;
  const payload = base64ToBytes(frame.payload);
  if (payload.byteLength > MESSAGE_PAYLOAD_MAX_BYTES) {
    return send(connection, {
      type: "error",
      code: "payload_too_large",
      message: `message payloads are limited to ${MESSAGE_PAYLOAD_MAX_BYTES} bytes`,
      clientId: frame.clientId,
    });
  }
  const refusal = await refuseSend(room, member, frame.clientId);
  if (refusal) return send(connection, refusal);
  const slowMode = await room.access.slowMode(member.userId, frame.clientId);
  if (!slowMode.isAllowed) {
    return send(connection, {
      type: "error",
      code: "slow_mode",
      message: `slow mode is on in this channel: wait ${Math.ceil(slowMode.retryAfterMs / 1000)} s before sending again`,
      clientId: frame.clientId,
      retryAfterMs: slowMode.retryAfterMs,
    });
  }
  let stored: { message: MessageRecord; isDuplicate: boolean };
  try {
    stored = await room.enqueue(() =>
      query(room.database, "appendMessage", {
        channelId: room.name,
        senderId: member.userId,
        clientId: frame.clientId,
        payload,
      }),
    );
  } catch (error) {
    slowMode.release();
    const isUnavailable = error instanceof DatabaseError && error.kind === "unavailable";
    return send(connection, {
      type: "error",
      code: isUnavailable ? "unavailable" : "internal",
      message: isUnavailable
        ? "the message was not stored: the database is unreachable, retry"
        : "the message was not stored",
      clientId: frame.clientId,
    });
  }
  const view = messageView(stored.message);
  send(connection, { type: "ack", clientId: frame.clientId, message: view });
  // A resend after a lost ack was relayed the first time; don't relay it twice.
  if (!stored.isDuplicate)
    room.broadcast(JSON.stringify({ type: "message", message: view } satisfies ServerFrame), [connection.id]);
}

/** An error frame when the member may not send here right now, or null. */
async function refuseSend(room: ChatRoom, member: Member, clientId: string): Promise<ServerFrame | null> {
  const context = await room.access.context(member.userId);
  const permissions = await room.access.permissions(member.userId);
  if (has(permissions, Permission.SEND_MESSAGES)) return null;
  const timedOutUntil = context?.scope === "community" ? context.member.timedOutUntil : null;
  const reason =
    timedOutUntil && new Date(timedOutUntil).getTime() > Date.now()
      ? `you are timed out until ${new Date(timedOutUntil).toISOString()}`
      : context?.channel.isArchived
        ? "this channel is archived: it is read-only"
        : context?.channel.isReadOnly
          ? "this channel is read-only"
          : context?.scope === "direct"
            ? "you cannot send messages in this conversation"
            : "you do not have permission to send messages here";
  return { type: "error", code: "missing_permission", message: reason, clientId };
}

function assertNever(value: never): never {
  throw new Error(`unhandled frame type ${String(value)}`);
}
