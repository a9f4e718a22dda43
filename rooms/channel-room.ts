/**
 * ChannelRoom: one Durable Object per channel, coordinating its WebSockets. It
 * hibernates when idle (sockets stay open, memory is freed) and wakes on a frame.
 * Each hook delegates to a named function.
 */
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import { receiveFrame, send, type ChatRoom } from "./chat.ts";
import { readIdentity, sessionTag, userTag, type Member } from "./identity.ts";
import type { SocketSelector } from "./user-sockets.ts";

/** Close code for a socket whose session was revoked or whose user was suspended. */
export const CLOSE_SESSION_ENDED = 4001;

export class ChannelRoom extends Server<Env> implements ChatRoom {
  static override options = { hibernate: true };
  #queue: Promise<unknown> = Promise.resolve();

  override getConnectionTags(_connection: Connection, context: ConnectionContext): string[] {
    const member = readIdentity(context.request);
    return member ? [userTag(member.userId), sessionTag(member.sessionId)] : [];
  }

  override async onConnect(connection: Connection<Member>, context: ConnectionContext): Promise<void> {
    const member = readIdentity(context.request);
    // Only forwardToRoom reaches a room; a request without identity is a bug, not a user.
    if (!member) return connection.close(1008, "unauthenticated");
    connection.setState(member);
    send(connection, { type: "welcome", channelId: this.name, userId: member.userId });
    await this.env.USER_SOCKETS.getByName(member.userId).opened(this.name);
  }

  override async onClose(connection: Connection<Member>): Promise<void> {
    if (connection.state) await this.env.USER_SOCKETS.getByName(connection.state.userId).closed(this.name);
  }

  override onMessage(connection: Connection<Member>, message: WSMessage): Promise<void> {
    return receiveFrame(this, connection, message);
  }

  /** Closes the sockets of a revoked session or a suspended user; returns how many. */
  async disconnect(selector: SocketSelector): Promise<number> {
    const tags = selector.sessionIds === "all" ? [userTag(selector.userId)] : selector.sessionIds.map(sessionTag);
    let closed = 0;
    for (const tag of tags) {
      for (const connection of this.getConnections(tag)) {
        connection.close(CLOSE_SESSION_ENDED, selector.reason);
        closed++;
      }
    }
    return closed;
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
