/**
 * Writing frames from a room: to one socket, to every socket, a message's ack and relay
 * serialized once, and the error frames several handlers share.
 */
import type { Connection } from "partyserver";
import { DatabaseError } from "../db/index.ts";
import { envelopeEpochOf, type MessageView, type ServerFrame } from "../protocol/index.ts";
import type { ChatRoom } from "./chat-room.ts";

/** Sends a frame to one socket, at the end of this turn with anything else it is given (rooms/outbox.ts). */
export function send(room: Pick<ChatRoom, "outbox">, connection: Connection, frame: ServerFrame): void {
  room.outbox.post(connection, JSON.stringify(frame));
}

export function broadcastFrame(room: Pick<ChatRoom, "relay">, frame: ServerFrame, exceptConnectionId?: string): void {
  room.relay(JSON.stringify(frame), exceptConnectionId);
}

/**
 * The ack to a message's sender and its relay to everyone else carry the same message:
 * it is serialized once and set into both frames, whose shapes are checked below.
 */
export function ackAndRelay(
  room: ChatRoom,
  connection: Connection,
  clientId: string,
  view: MessageView,
  isRelayed: boolean,
): void {
  const message = JSON.stringify(view);
  room.outbox.post(connection, `{"type":"ack","clientId":${JSON.stringify(clientId)},"message":${message}}`);
  if (isRelayed) room.relay(`{"type":"message","message":${message}}`, connection.id);
}
// The frames ackAndRelay writes by hand are exactly these protocol shapes (checked when compiling).
/** `true` when A and B are the same type: checks a frame written by hand against the protocol. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
true satisfies Same<Extract<ServerFrame, { type: "ack" }>, { type: "ack"; clientId: string; message: MessageView }>;
true satisfies Same<Extract<ServerFrame, { type: "message" }>, { type: "message"; message: MessageView }>;

/**
 * An end-to-end encrypted payload sealed in an epoch the group has left: refused, since
 * the people removed since that epoch could read it. Envelopes carry their epoch in
 * clear (e2ee/message-crypto.ts); other payloads pass.
 */
export async function staleEpochRefusal(
  room: ChatRoom,
  payload: string,
  clientId: string,
): Promise<ServerFrame | null> {
  const epoch = envelopeEpochOf(payload);
  if (epoch === null) return null;
  const current = await room.mlsEpoch();
  if (current === null || epoch >= current) return null;
  return {
    type: "error",
    code: "stale_epoch",
    message: `sealed in epoch ${epoch}, the group is at ${current}: process the commits since and seal it again`,
    clientId,
  };
}

/** The error frame for a write the database could not take: retry when it was unreachable. */
export function storageFailure(error: unknown, clientId: string): ServerFrame {
  const isUnavailable = error instanceof DatabaseError && error.kind === "unavailable";
  return {
    type: "error",
    code: isUnavailable ? "unavailable" : "internal",
    message: isUnavailable ? "not stored: the database is unreachable, retry" : "not stored",
    clientId,
  };
}
