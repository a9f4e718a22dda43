/**
 * Chat in a channel room: the table of contents of what a client may ask. Each
 * frame is parsed, then handed to the function for its type; each checks the
 * sender's permissions in this channel at this moment.
 */
import type { Connection } from "partyserver";
import { DatabaseError } from "../db/index.ts";
import { envelopeEpochOf, type EventsServerFrame, type MessageView, type ServerFrame } from "../protocol/index.ts";
import type { ActivityNotifier } from "./activity.ts";
import type { AppendBatcher } from "./append-batcher.ts";
import { resume } from "./catch-up.ts";
import type { Member } from "./identity.ts";
import { changeMessage, changeReaction, setPin } from "./message-actions.ts";
import type { Outbox } from "./outbox.ts";
import { parseFrame } from "./parse-frame.ts";
import { announceTyping, markRead } from "./reading.ts";
import type { RoomAccess } from "./room-access.ts";
import { sendMessage } from "./send-message.ts";

export interface ChatRoom {
  name: string;
  database: Env["DATABASE"];
  access: RoomAccess;
  batcher: AppendBatcher;
  /** Frames to this room's sockets, sent together at the end of each turn. */
  outbox: Outbox;
  /** Sends a serialized frame to every admitted socket but one. */
  relay(message: string, exceptConnectionId?: string): void;
  /** The open sockets of one person in this room (their devices and tabs). */
  connectionsOf(userId: string): Iterable<Connection<Member>>;
  /** The epoch of the channel's MLS group, or null when it has none. */
  mlsEpoch(): Promise<number | null>;
  /** Writes run one at a time so changes are relayed in the order they were stored. */
  enqueue<T>(work: () => Promise<T>): Promise<T>;
  /** New messages, for the account sockets of the channel's people. */
  activity: ActivityNotifier;
  /** A frame for one person's account sockets (their other devices). */
  notifyAccount(userId: string, frame: EventsServerFrame): Promise<void>;
  /** Closes a socket whose person may no longer view the channel (what was queued for it goes first). */
  closeForAccess(connection: Connection<Member>): void;
}

/** Sends a frame to one socket, at the end of this turn with anything else it is given (rooms/outbox.ts). */
export function send(room: ChatRoom, connection: Connection, frame: ServerFrame): void {
  room.outbox.post(connection, JSON.stringify(frame));
}

export function broadcastFrame(room: ChatRoom, frame: ServerFrame, exceptConnectionId?: string): void {
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

export async function receiveFrame(room: ChatRoom, connection: Connection<Member>, raw: unknown): Promise<void> {
  const frame = parseFrame(raw);
  if ("error" in frame) return send(room, connection, frame.error);
  switch (frame.type) {
    case "send":
      return sendMessage(room, connection, frame);
    case "edit":
    case "delete":
      return changeMessage(room, connection, frame);
    case "react":
    case "unreact":
      return changeReaction(room, connection, frame);
    case "pin":
    case "unpin":
      return setPin(room, connection, frame);
    case "typing":
      return announceTyping(room, connection);
    case "read":
      return markRead(room, connection, frame.seq);
    case "resume":
      return resume(room, connection, frame.afterEvent);
    default:
      return assertNever(frame);
  }
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

function assertNever(value: never): never {
  throw new Error(`unhandled frame ${JSON.stringify(value)}`);
}
