/**
 * What a frame handler may use of its channel's room: the room implements this, the
 * handlers (chat, calls) take it, so no handler imports the room class itself.
 */
import type { Connection } from "partyserver";
import type { EventsServerFrame } from "../protocol/index.ts";
import type { ActivityNotifier } from "./activity.ts";
import type { AppendBatcher } from "./append-batcher.ts";
import type { Member } from "./identity.ts";
import type { Outbox } from "./outbox.ts";
import type { RoomAccess } from "./room-access.ts";

export interface ChatRoom {
  name: string;
  database: Env["DATABASE"];
  access: RoomAccess;
  batcher: AppendBatcher;
  /** LATENCY_SPANS=true: time each message's way (db/latency-spans.ts). */
  isTimingSpans: boolean;
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
  /** Removes the stored parts of uploads a committed deletion marked `deleting` (in the background). */
  removeFiles(uploads: { id: string; size: number; received: number }[]): void;
}
