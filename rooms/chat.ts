/**
 * Chat in a channel room: parse each frame, store the message in PostgreSQL, then
 * acknowledge it to the sender and relay it to everyone else. A message is only
 * acknowledged after it is committed.
 */
import type { Connection } from "partyserver";
import { DatabaseError, query, type MessageRecord } from "../db/index.ts";
import {
  base64ToBytes,
  clientFrameSchema,
  MESSAGE_PAYLOAD_MAX_BYTES,
  SOCKET_FRAME_MAX_BYTES,
  type ClientFrame,
  type ServerFrame,
} from "../protocol/index.ts";
import type { Member } from "./identity.ts";
import { messageView } from "./message-view.ts";

export interface ChatRoom {
  name: string;
  database: Env["DATABASE"];
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

function assertNever(value: never): never {
  throw new Error(`unhandled frame type ${String(value)}`);
}
