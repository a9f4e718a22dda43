/**
 * Who a room relays to: the sockets it has admitted, and only those (a socket whose
 * session and access are still being checked receives nothing). Kept in memory and
 * rebuilt from the sockets' attachments once after each wake: partyserver's own
 * `broadcast` deserializes every socket's attachment for every message, which was a
 * fifth of the room's CPU when fanning out (bench/README.md).
 */
import type { Connection } from "partyserver";
import type { Member } from "./identity.ts";
import type { Outbox } from "./outbox.ts";

export class Audience {
  #connections = new Map<string, Connection<Member>>();
  /** The same connections by their socket: partyserver's connection objects are the sockets themselves. */
  #bySocket = new WeakMap<object, Connection<Member>>();
  #isLoaded = false;

  /** `sockets` lists every open socket of the room (read once, after a wake). */
  private readonly sockets: () => Iterable<Connection<Member>>;
  private readonly outbox: Outbox;
  constructor(sockets: () => Iterable<Connection<Member>>, outbox: Outbox) {
    this.sockets = sockets;
    this.outbox = outbox;
  }

  admit(connection: Connection<Member>): void {
    this.#load();
    this.#add(connection);
  }

  leave(connectionId: string): void {
    const connection = this.#connections.get(connectionId);
    if (connection) this.#bySocket.delete(connection);
    this.#connections.delete(connectionId);
  }

  /** The admitted connection of a socket, if it is one (no attachment is read). */
  connectionOf(socket: WebSocket): Connection<Member> | undefined {
    return this.#bySocket.get(socket);
  }

  /** Sends one serialized frame to every admitted, open socket except `exceptId`'s (through the outbox). */
  relay(message: string, exceptId?: string): void {
    this.#load();
    for (const [id, connection] of this.#connections) {
      // Closed for good: forget it. Not open yet (its upgrade still finishing) or closing:
      // skip this frame only, as partyserver does; onClose forgets it once it is gone.
      if (connection.readyState === WebSocket.READY_STATE_CLOSED) {
        this.leave(id);
        continue;
      }
      if (connection.readyState !== WebSocket.READY_STATE_OPEN) continue;
      if (id === exceptId) continue;
      this.outbox.post(connection, message);
    }
  }

  #load(): void {
    if (this.#isLoaded) return;
    this.#isLoaded = true;
    for (const connection of this.sockets()) {
      // Admitted sockets carry their permissions in their state; others are still being checked.
      if (connection.state?.permissions) this.#add(connection);
    }
  }

  #add(connection: Connection<Member>): void {
    this.#connections.set(connection.id, connection);
    this.#bySocket.set(connection, connection);
  }
}
