/**
 * Every frame a room sends goes out at the end of the current turn of the event loop:
 * a socket given one frame gets it as it is, a socket given several (a stored batch's
 * acks and relays, a sync page and its relays) gets one `frames` frame holding them in
 * the order they were given. Under load a commit carries tens of messages, and each
 * member then receives one WebSocket frame per commit instead of one per message: fewer
 * native sends for the room, fewer frames for every client (bench/README.md has the
 * figures). A lone message is not held back: the turn ends before any I/O.
 *
 * One outbox serves the whole isolate: a turn runs one object's code, and the queue is
 * empty again before the next event starts.
 */
import type { Connection } from "partyserver";
import type { ServerFrame } from "../protocol/index.ts";

const queued = new Map<Connection, string[]>();
let isScheduled = false;

/** Queues a serialized server frame for one socket. */
export function post(connection: Connection, frame: string): void {
  const frames = queued.get(connection);
  if (frames) frames.push(frame);
  else queued.set(connection, [frame]);
  if (!isScheduled) {
    isScheduled = true;
    queueMicrotask(flushOutbox);
  }
}

/**
 * Sends everything queued now. Called at the end of each turn, and before a socket is
 * closed so what was queued for it arrives before the close.
 */
export function flushOutbox(): void {
  isScheduled = false;
  const sending = [...queued];
  queued.clear();
  for (const [connection, frames] of sending) {
    try {
      connection.send(frames.length === 1 ? frames[0]! : `{"type":"frames","frames":[${frames.join(",")}]}`);
    } catch {
      try {
        connection.close(1011, "could not send");
      } catch {
        // already closing: its close event forgets it
      }
    }
  }
}

// The batch frame written by hand above is exactly the protocol's shape (checked when compiling).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
true satisfies Same<Extract<ServerFrame, { type: "frames" }>, { type: "frames"; frames: ServerFrame[] }>;
