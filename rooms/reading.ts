/**
 * Who is typing, and how far someone has read. Typing is relayed, never stored,
 * and at most once every few seconds per socket; a read position is stored (it is
 * shared by the person's devices) and echoed to their other sockets in this room.
 */
import type { Connection } from "partyserver";
import { errorText, log, query } from "../db/index.ts";
import { has, Permission } from "../protocol/index.ts";
import type { ChatRoom } from "./chat-room.ts";
import { broadcastFrame, send } from "./room-frames.ts";
import type { Member } from "./identity.ts";

/** Typing indicators last ~5 s on screen; one relay per socket per 3 s keeps them lit. */
export const TYPING_INTERVAL_MS = 3_000;
/** When each connection last announced typing, by id (a woken room wraps sockets anew). */
const lastTyping = new Map<string, number>();

export async function announceTyping(room: ChatRoom, connection: Connection<Member>): Promise<void> {
  const now = Date.now();
  if (now - (lastTyping.get(connection.id) ?? 0) < TYPING_INTERVAL_MS) return;
  const member = connection.state!;
  if (!has(await room.access.permissions(member.userId), Permission.SEND_MESSAGES)) return;
  // Entries older than the interval throttle nothing: drop them so the map stays small.
  for (const [id, at] of lastTyping) if (now - at >= TYPING_INTERVAL_MS) lastTyping.delete(id);
  lastTyping.set(connection.id, now);
  broadcastFrame(room, { type: "typing", userId: member.userId, username: member.username }, connection.id);
}

export async function markRead(room: ChatRoom, connection: Connection<Member>, seq: number): Promise<void> {
  const member = connection.state!;
  let position: number;
  try {
    position = await query(room.database, "markRead", { userId: member.userId, channelId: room.name, seq });
  } catch (error) {
    log.warn("read_position_not_stored", { channelId: room.name, error: errorText(error) });
    return;
  }
  for (const other of room.connectionsOf(member.userId)) {
    if (other.id !== connection.id) send(room, other, { type: "read", seq: position });
  }
  await room.notifyAccount(member.userId, { type: "read", channelId: room.name, seq: position });
}
