/**
 * ChannelRoom: one Durable Object per channel, coordinating its WebSockets. It
 * hibernates when idle (sockets stay open, memory is freed) and wakes on a frame.
 * Each hook delegates to a named function.
 */
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import { query } from "../db/index.ts";
import { receiveFrame, send, type ChatRoom } from "./chat.ts";
import { readIdentity, sessionTag, userTag, type Member } from "./identity.ts";
import { DEFAULT_FRAMES_PER_SECOND, FrameRateLimiter } from "./frame-rate-limiter.ts";
import type { SocketSelector } from "./user-sockets.ts";

/** Close code for a socket whose session was revoked or whose user was suspended. */
export const CLOSE_SESSION_ENDED = 4001;

export class ChannelRoom extends Server<Env> implements ChatRoom {
  static override options = { hibernate: true };
  #queue: Promise<unknown> = Promise.resolve();
  #rateLimiter: FrameRateLimiter;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const configured = Number((env as { SOCKET_FRAMES_PER_SECOND?: string }).SOCKET_FRAMES_PER_SECOND);
    this.#rateLimiter = new FrameRateLimiter(configured > 0 ? configured : DEFAULT_FRAMES_PER_SECOND);
  }

  override getConnectionTags(_connection: Connection, context: ConnectionContext): string[] {
    const member = readIdentity(context.request);
    return member ? [userTag(member.userId), sessionTag(member.sessionId)] : [];
  }

  override async onConnect(connection: Connection<Member>, context: ConnectionContext): Promise<void> {
    const member = readIdentity(context.request);
    // Only forwardToRoom reaches a room; a request without identity is a bug, not a user.
    if (!member) return connection.close(1008, "unauthenticated");
    try {
      // Register first, then check the session again: a revocation commits before it
      // walks the rooms, so either it finds this socket or this check finds it revoked.
      await this.env.USER_SOCKETS.getByName(member.userId).opened(this.name);
      connection.setState(member);
      if (!(await query(this.env.DATABASE, "activeSession", member))) {
        return connection.close(CLOSE_SESSION_ENDED, "session ended");
      }
    } catch (error) {
      console.error(`room ${this.name}: could not admit a socket: ${(error as Error).message}`);
      return connection.close(1011, "try again");
    }
    send(connection, { type: "welcome", channelId: this.name, userId: member.userId });
  }

  override async onClose(connection: Connection<Member>): Promise<void> {
    this.#rateLimiter.forget(connection.id);
    if (connection.state) await this.env.USER_SOCKETS.getByName(connection.state.userId).closed(this.name);
  }

  override async onMessage(connection: Connection<Member>, message: WSMessage): Promise<void> {
    if (!this.#rateLimiter.allow(connection.id)) {
      // Name the refused send, when it is one, so the client can retry it later.
      const clientId =
        typeof message === "string" ? /"clientId":"([A-Za-z0-9_-]{8,64})"/.exec(message.slice(0, 512))?.[1] : undefined;
      return send(connection, { type: "error", code: "rate_limited", message: "too many frames: slow down", clientId });
    }
    try {
      await receiveFrame(this, connection, message);
    } catch (error) {
      // partyserver does not await this hook: an escaped error would be lost silently.
      console.error(`room ${this.name}: frame failed: ${(error as Error).message}`);
      send(connection, { type: "error", code: "internal", message: "the frame could not be handled" });
    }
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
