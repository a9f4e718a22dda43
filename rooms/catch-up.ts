/**
 * Resuming after any disconnect: the client names the last event it saw and gets,
 * in event order and in pages, what was created or changed since, from PostgreSQL;
 * then `synced`. One resume per socket runs at a time, and each sends at most
 * CATCH_UP_MAX_MESSAGES: a client further behind gets `hasMore` and resumes again
 * from the `lastEvent` it was given (each resume also spends a frame-rate token),
 * so no socket can make the room stream without end. Live frames may arrive in
 * between: a client keeps, per seq, the view with the highest event.
 */
import type { Connection } from "partyserver";
import { DatabaseError, query } from "../db/index.ts";
import { send, type ChatRoom } from "./chat.ts";
import type { Member } from "./identity.ts";
import { messageView } from "./message-view.ts";

export const CATCH_UP_PAGE = 200;
export const CATCH_UP_MAX_MESSAGES = 1_000;

/** Connection ids with a resume running (ids, not objects: a woken room wraps sockets anew). */
const resuming = new Set<string>();

export async function resume(room: ChatRoom, connection: Connection<Member>, afterEvent: number): Promise<void> {
  if (resuming.has(connection.id)) {
    return send(room, connection, {
      type: "error",
      code: "rate_limited",
      message: "a resume is already running on this socket: wait for its synced frame",
    });
  }
  resuming.add(connection.id);
  let cursor = afterEvent;
  let sent = 0;
  let hasMore = false;
  try {
    for (;;) {
      const page = await query(room.database, "messagesChangedAfter", {
        channelId: room.name,
        afterEvent: cursor,
        limit: CATCH_UP_PAGE,
      });
      // The socket went away meanwhile: nobody to send the rest to.
      if (connection.readyState !== WebSocket.OPEN) return;
      if (page.length > 0) {
        send(room, connection, { type: "sync", messages: page.map(messageView) });
        cursor = page[page.length - 1]!.event;
        sent += page.length;
      }
      if (page.length < CATCH_UP_PAGE) break;
      if (sent >= CATCH_UP_MAX_MESSAGES) {
        hasMore = true;
        break;
      }
    }
  } catch (error) {
    const isUnavailable = error instanceof DatabaseError && error.kind === "unavailable";
    return send(room, connection, {
      type: "error",
      code: isUnavailable ? "unavailable" : "internal",
      message: "the catch-up stopped part-way: resume again from the last event received",
    });
  } finally {
    resuming.delete(connection.id);
  }
  send(room, connection, { type: "synced", lastEvent: cursor, hasMore });
}
