/**
 * Resuming after any disconnect: the client names the last event it saw and gets,
 * in event order and in pages, what was created or changed since, from PostgreSQL;
 * then `synced`. One resume per socket runs at a time, and each sends at most
 * CATCH_UP_MAX_MESSAGES: a client further behind gets `hasMore` and resumes again
 * from the `lastEvent` it was given (each resume also spends a frame-rate token),
 * so no socket can make the room stream without end. Live frames may arrive in
 * between: a client keeps, per seq, the view with the highest event.
 *
 * After a restart a whole channel reconnects at once, mostly from the same event:
 * resumes that arrive while a page is being read share the next read (from the
 * lowest event among them), and each takes the part after its own event.
 */
import type { Connection } from "partyserver";
import { DatabaseError, query } from "../db/index.ts";
import type { MessageView, ServerFrame } from "../protocol/index.ts";
import { send, type ChatRoom, type Same } from "./chat.ts";
import type { Member } from "./identity.ts";
import { messageView } from "./message-view.ts";

export const CATCH_UP_PAGE = 200;
export const CATCH_UP_MAX_MESSAGES = 1_000;

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
  let hasMore = false;
  try {
    for (;;) {
      const page = await reads.after(cursor);
      // The socket went away meanwhile: nobody to send the rest to.
      if (connection.readyState !== WebSocket.OPEN) return;
      const mine = page.messages.filter((message) => message.event > cursor);
      if (mine.length > 0) {
        room.outbox.post(connection, syncFrame(mine));
        sent += mine.length;
      }
      if (!page.isFull) {
        cursor = Math.max(cursor, mine.at(-1)?.event ?? cursor);
        break;
      }
      // Everything up to the page's end is sent: go on from there (or from this socket's own event, if later).
      cursor = Math.max(cursor, page.lastEvent);
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

/** A stored message serialized once, for every socket it is sent to. */
interface SerializedMessage {
  event: number;
  json: string;
}

interface SharedPage {
  /** In event order, after the lowest event asked for. */
  messages: SerializedMessage[];
  /** CATCH_UP_PAGE messages came back: there may be more after `lastEvent`. */
  isFull: boolean;
  lastEvent: number;
}

/**
 * One page read at a time per room. A read asked for while another runs waits for
 * the next, which starts after it was asked for, so it sees everything stored before
 * the resume arrived (what is stored later reaches the socket live, since it was
 * admitted before it could ask). A lone resume is never held back.
 */
class SharedPageReads {
  #running = false;
  #waiting: { afterEvent: number; resolve(page: SharedPage): void; reject(error: unknown): void }[] = [];

  constructor(private readonly room: ChatRoom) {}

  after(afterEvent: number): Promise<SharedPage> {
    const page = new Promise<SharedPage>((resolve, reject) => this.#waiting.push({ afterEvent, resolve, reject }));
    if (!this.#running) void this.#readWaiting();
    return page;
  }

  async #readWaiting(): Promise<void> {
    this.#running = true;
    while (this.#waiting.length > 0) {
      const readers = this.#waiting.splice(0);
      try {
        const rows = await query(this.room.database, "messagesChangedAfter", {
          channelId: this.room.name,
          afterEvent: Math.min(...readers.map((reader) => reader.afterEvent)),
          limit: CATCH_UP_PAGE,
        });
        const messages = rows.map((row) => ({ event: row.event, json: JSON.stringify(messageView(row)) }));
        const page = { messages, isFull: rows.length === CATCH_UP_PAGE, lastEvent: rows.at(-1)?.event ?? 0 };
        for (const reader of readers) reader.resolve(page);
      } catch (error) {
        for (const reader of readers) reader.reject(error);
      }
    }
    this.#running = false;
  }
}

/** A `sync` frame from messages serialized beforehand (the shape is checked below). */
const syncFrame = (messages: SerializedMessage[]) =>
  `{"type":"sync","messages":[${messages.map((message) => message.json).join(",")}]}`;
true satisfies Same<Extract<ServerFrame, { type: "sync" }>, { type: "sync"; messages: MessageView[] }>;
