/**
 * Resuming after any disconnect: the client names the last event it saw and gets,
 * in event order and in pages, every message created or changed since, from
 * PostgreSQL; then `synced`. Live frames may arrive in between: a client keeps, per
 * seq, the view with the highest event, so nothing is lost or applied twice.
 */
import type { Connection } from "partyserver";
import { query } from "../db/index.ts";
import { DatabaseError } from "../db/index.ts";
import { send, type ChatRoom } from "./chat.ts";
import type { Member } from "./identity.ts";
import { messageView } from "./message-view.ts";

export const CATCH_UP_PAGE = 200;

export async function resume(room: ChatRoom, connection: Connection<Member>, afterEvent: number): Promise<void> {
  let cursor = afterEvent;
  try {
    for (;;) {
      const page = await query(room.database, "messagesChangedAfter", {
        channelId: room.name,
        afterEvent: cursor,
        limit: CATCH_UP_PAGE,
      });
      if (page.length > 0) {
        send(connection, { type: "sync", messages: page.map(messageView) });
        cursor = page[page.length - 1]!.event;
      }
      if (page.length < CATCH_UP_PAGE) break;
    }
  } catch (error) {
    const isUnavailable = error instanceof DatabaseError && error.kind === "unavailable";
    return send(connection, {
      type: "error",
      code: isUnavailable ? "unavailable" : "internal",
      message: "the catch-up stopped part-way: resume again from the last event received",
    });
  }
  send(connection, { type: "synced", lastEvent: cursor });
}
