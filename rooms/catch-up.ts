/**
 * Resuming after any disconnect: the client names the last event it saw and gets,
 * in event order and in pages, what was created or changed since, from PostgreSQL;
 * then `synced`. One resume per socket runs at a time, and each sends at most
 * CATCH_UP_MAX_MESSAGES, or CATCH_UP_MAX_BYTES of payloads, in pages bounded the
 * same two ways: a client further behind gets `hasMore` and resumes again
 * from the `lastEvent` it was given (each resume also spends a frame-rate token),
 * so no socket can make the room stream without end. Live frames may arrive in
 * between: a client keeps, per seq, the view with the highest event.
 *
 * After a restart a whole channel reconnects at once, its clients mostly from the
 * same event: resumes from one event that arrive while a page after it is being read
 * share the next read of it. Resumes from different events never share, so no
 * client can hold back another's catch-up by resuming from further behind.
 */
import type { Connection } from "partyserver";
import { DatabaseError, query } from "../db/index.ts";
import type { MessageView, ServerFrame } from "../protocol/index.ts";
import type { ChatRoom } from "./chat-room.ts";
import { send, type Same } from "./room-frames.ts";
import type { Member } from "./identity.ts";
import { messageView } from "./message-view.ts";

export const CATCH_UP_PAGE = 200;
/** A page also ends once its payloads reach this (200 full-size payloads would be 12.5 MiB). */
export const CATCH_UP_PAGE_BYTES = 1024 * 1024;
export const CATCH_UP_MAX_MESSAGES = 1_000;
/** A resume ends (with `hasMore`) at the page whose payloads bring it to this. */
export const CATCH_UP_MAX_BYTES = 4 * 1024 * 1024;

/** Connection ids with a resume running (ids, not objects: a woken room wraps sockets anew). */
const resuming = new Set<string>();
/** Each room's shared page reads, for as long as the room object lives. */
const pageReads = new WeakMap<ChatRoom, SharedPageReads>();

export async function resume(room: ChatRoom, connection: Connection<Member>, afterEvent: number): Promise<void> {
  if (resuming.has(connection.id)) {
    return send(room, connection, {
      type: "error",
      code: "rate_limited",
      message: "a resume is already running on this socket: wait for its synced frame",
    });
  }
  resuming.add(connection.id);
  let reads = pageReads.get(room);
  if (!reads) pageReads.set(room, (reads = new SharedPageReads(room)));
  let cursor = afterEvent;
  let sent = 0;
  let sentBytes = 0;
  let hasMore = false;
  try {
    // Access is pushed to the room when it changes; if a push was lost, this is where a
    // socket that lost the channel finds out, before it is sent anything.
    if ((await room.access.permissions(connection.state!.userId)) === 0) return room.closeForAccess(connection);
    for (;;) {
      const page = await reads.after(cursor);
      // The socket went away meanwhile: nobody to send the rest to.
      if (connection.readyState !== WebSocket.OPEN) return;
      const pageBytes = page.reduce((total, message) => total + message.payloadBytes, 0);
      if (page.length > 0) {
        room.outbox.post(connection, syncFrame(page));
        cursor = page.at(-1)!.event;
        sent += page.length;
        sentBytes += pageBytes;
      }
      if (page.length < CATCH_UP_PAGE && pageBytes < CATCH_UP_PAGE_BYTES) break;
      if (sent >= CATCH_UP_MAX_MESSAGES || sentBytes >= CATCH_UP_MAX_BYTES) {
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

/** A stored message serialized once, for every socket it is sent to. */
interface SerializedMessage {
  event: number;
  payloadBytes: number;
  json: string;
}

interface Reader {
  resolve(page: SerializedMessage[]): void;
  reject(error: unknown): void;
}

/**
 * One read at a time per event a page starts after. A resume from an event whose
 * read is running waits for the next one, which starts after it was asked for, so
 * it sees everything stored before the resume arrived (what is stored later reaches
 * the socket live: it was admitted before it could ask). A lone resume is never held back.
 */
class SharedPageReads {
  /** Per event: those waiting for the next read after it, while reads after it run. */
  #waiting = new Map<number, Reader[]>();

  private readonly room: ChatRoom;
  constructor(room: ChatRoom) {
    this.room = room;
  }

  after(afterEvent: number): Promise<SerializedMessage[]> {
    return new Promise((resolve, reject) => {
      const waiting = this.#waiting.get(afterEvent);
      if (waiting) return void waiting.push({ resolve, reject });
      this.#waiting.set(afterEvent, [{ resolve, reject }]);
      // Started a microtask later, so that readers handed one page together, asking
      // for the next in the same turn, share its read too.
      queueMicrotask(() => void this.#readWhileWaited(afterEvent));
    });
  }

  async #readWhileWaited(afterEvent: number): Promise<void> {
    const waiting = this.#waiting.get(afterEvent)!;
    while (waiting.length > 0) {
      const readers = waiting.splice(0);
      try {
        const rows = await query(this.room.database, "messagesChangedAfter", {
          channelId: this.room.name,
          afterEvent,
          limit: CATCH_UP_PAGE,
          maxBytes: CATCH_UP_PAGE_BYTES,
        });
        const page = rows.map((row) => ({
          event: row.event,
          payloadBytes: base64Bytes(row.payload),
          json: JSON.stringify(messageView(row)),
        }));
        for (const reader of readers) reader.resolve(page);
      } catch (error) {
        for (const reader of readers) reader.reject(error);
      }
    }
    this.#waiting.delete(afterEvent);
  }
}

/** How many bytes a base64 text decodes to. */
const base64Bytes = (text: string) => (text.length * 3) / 4 - (text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0);

/** A `sync` frame from messages serialized beforehand (the shape is checked below). */
const syncFrame = (messages: SerializedMessage[]) =>
  `{"type":"sync","messages":[${messages.map((message) => message.json).join(",")}]}`;
true satisfies Same<Extract<ServerFrame, { type: "sync" }>, { type: "sync"; messages: MessageView[] }>;
