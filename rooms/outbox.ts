/**
 * Every frame a room sends goes out at the end of the current turn of the event loop:
 * a socket given one frame gets it as it is, a socket given several (a stored batch's
 * acks and relays, a sync page and its relays) gets one `frames` frame holding them in
 * the order they were given. Under load a commit carries tens of messages, and each
 * member then receives one WebSocket frame per commit instead of one per message: fewer
 * native sends for the room, fewer frames for every client (bench/README.md has the
 * figures). A lone message is not held back: the turn ends before any I/O.
 *
 * One outbox per room: its sockets belong to that object alone, and an object that
 * workerd stops mid-turn (a limit exceeded) takes its queue with it.
 */
import type { Connection } from "partyserver";
import type { ServerFrame } from "../protocol/index.ts";

export class Outbox {
  #queued = new Map<Connection, string[]>();
  #isScheduled = false;

  /** Queues a serialized server frame for one socket. */
  post(connection: Connection, frame: string): void {
    const frames = this.#queued.get(connection);
    if (frames) frames.push(frame);
    else this.#queued.set(connection, [frame]);
    if (!this.#isScheduled) {
      this.#isScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /**
   * Sends everything queued now. Runs at the end of each turn, and before a socket is
   * closed or welcomed, so what was queued for it goes first and the welcome alone.
   */
  flush(): void {
    this.#isScheduled = false;
    const sending = [...this.#queued];
    this.#queued.clear();
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
}

// The batch frame written by hand above is exactly the protocol's shape (checked when compiling).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
true satisfies Same<Extract<ServerFrame, { type: "frames" }>, { type: "frames"; frames: ServerFrame[] }>;
