/**
 * ChannelRoom: one Durable Object per channel, coordinating its WebSockets. It
 * hibernates when idle (sockets stay open, memory is freed) and wakes on a frame.
 * Each hook delegates to a named function.
 */
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import type { Member } from "./identity.ts";
import { readIdentity } from "./identity.ts";
import { receiveFrame, send, type ChatRoom } from "./chat.ts";

export class ChannelRoom extends Server<Env> implements ChatRoom {
  static override options = { hibernate: true };
  #queue: Promise<unknown> = Promise.resolve();

  override onConnect(connection: Connection<Member>, context: ConnectionContext): void {
    const member = readIdentity(context.request);
    // Only forwardToRoom reaches a room; a request without identity is a bug, not a user.
    if (!member) return connection.close(1008, "unauthenticated");
    connection.setState(member);
    send(connection, { type: "welcome", channelId: this.name, userId: member.userId });
  }

  override onMessage(connection: Connection<Member>, message: WSMessage): Promise<void> {
    return receiveFrame(this, connection, message);
  }

  get database(): Env["DATABASE"] {
    return this.env.DATABASE;
  }

  enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work);
    this.#queue = result.catch(() => {});
    return result;
  }
}
