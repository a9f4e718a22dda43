/**
 * ChannelRoom: one Durable Object per channel, coordinating its WebSockets. It
 * hibernates when idle (sockets stay open, memory is freed) and wakes on a frame.
 * Each hook delegates to a named function.
 */
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import { DatabaseError, query, type QueryInput, type QueryOutput } from "../db/index.ts";
import {
  bytesToBase64,
  CLOSE_ACCESS_REMOVED,
  CLOSE_SESSION_ENDED,
  CLOSE_TOO_MANY_SOCKETS,
  MLS_HANDSHAKE_COMMIT_MAX_BYTES,
  permissionNames,
  SOCKET_FRAME_MAX_BYTES,
  type EventsServerFrame,
  type ServerFrame,
} from "../protocol/index.ts";
import { ActivityNotifier } from "./activity.ts";
import { Audience } from "./audience.ts";
import { AppendBatcher } from "./append-batcher.ts";
import { receiveFrame, send, type ChatRoom } from "./chat.ts";
import { readIdentity, sessionTag, userTag, type Member } from "./identity.ts";
import { Outbox } from "./outbox.ts";
import { DEFAULT_FRAMES_PER_SECOND, FrameRateLimiter } from "./frame-rate-limiter.ts";
import { RoomBudgets } from "./user-budget.ts";
import { RoomAccess } from "./room-access.ts";
import type { SocketSelector } from "./user-sockets.ts";

export { CLOSE_ACCESS_REMOVED, CLOSE_SESSION_ENDED };

type MlsCommitInput = QueryInput<"appendMlsCommit">;
type MlsCommitResult = QueryOutput<"appendMlsCommit">;
type MlsRefoundInput = QueryInput<"refoundMlsGroup">;
type MlsRefoundResult = QueryOutput<"refoundMlsGroup">;

/**
 * How often a room with open sockets reads everyone's access again, to catch a push that was
 * lost. Each check costs a few queries per connected person (bench/README.md measured 755
 * queries/s at 9,000 sockets with one minute), so it is rare; pushes do the real work.
 */
export const ACCESS_RECHECK_MS = 5 * 60_000;

/** Sockets one account may hold across all rooms (tabs, devices); more is a runaway client. */
export const DEFAULT_SOCKETS_PER_USER = 32;

export class ChannelRoom extends Server<Env> implements ChatRoom {
  static override options = { hibernate: true };
  #queue: Promise<unknown> = Promise.resolve();
  #rateLimiter: FrameRateLimiter;
  #budgets = new RoomBudgets((userId, wanted) => this.env.USER_SOCKETS.getByName(userId).lease(wanted));
  #access: RoomAccess | undefined;
  #batcher: AppendBatcher | undefined;
  #activity: ActivityNotifier | undefined;
  readonly outbox = new Outbox();
  #audience = new Audience(() => this.getConnections<Member>(), this.outbox);
  /** The MLS group's epoch, read once per wake and moved by every commit this room accepts. */
  #mlsEpoch: Promise<number | null> | undefined;
  readonly #socketsPerUser: number;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const settings = env as { SOCKET_FRAMES_PER_SECOND?: string; SOCKETS_PER_USER?: string };
    const framesPerSecond = Number(settings.SOCKET_FRAMES_PER_SECOND);
    this.#rateLimiter = new FrameRateLimiter(framesPerSecond > 0 ? framesPerSecond : DEFAULT_FRAMES_PER_SECOND);
    const socketsPerUser = Number(settings.SOCKETS_PER_USER);
    this.#socketsPerUser = socketsPerUser > 0 ? socketsPerUser : DEFAULT_SOCKETS_PER_USER;
  }

  override getConnectionTags(_connection: Connection, context: ConnectionContext): string[] {
    const member = readIdentity(context.request);
    return member ? [userTag(member.userId), sessionTag(member.sessionId)] : [];
  }

  override async onConnect(connection: Connection<Member>, context: ConnectionContext): Promise<void> {
    const member = readIdentity(context.request);
    // Only forwardToRoom reaches a room; a request without identity is a bug, not a user.
    if (!member) return connection.close(1008, "unauthenticated");
    let permissions: number;
    let position: { lastSeq: number; lastEvent: number } | null;
    try {
      // Register first, then check the session and access again: a revocation or a kick
      // commits before it walks the rooms, so either it finds this socket or these checks see it.
      const sockets = this.env.USER_SOCKETS.getByName(member.userId);
      let open = await sockets.opened(this.name);
      connection.setState(member);
      if (open > this.#socketsPerUser) open = await sockets.reconcile(member.userId);
      if (open > this.#socketsPerUser) {
        return connection.close(CLOSE_TOO_MANY_SOCKETS, `at most ${this.#socketsPerUser} open sockets per account`);
      }
      const admission = await query(this.env.DATABASE, "socketAdmission", {
        channelId: this.name,
        userId: member.userId,
        sessionId: member.sessionId,
      });
      if (!admission.isSessionLive) return connection.close(CLOSE_SESSION_ENDED, "session ended");
      this.access.remember(member.userId, admission.context);
      permissions = await this.access.permissions(member.userId);
      position = admission.context && {
        lastSeq: admission.context.channel.lastSeq,
        lastEvent: admission.context.channel.lastEvent,
      };
    } catch (error) {
      console.error(`room ${this.name}: could not admit a socket: ${(error as Error).message}`);
      return connection.close(1011, "try again");
    }
    if (permissions === 0 || !position) return connection.close(CLOSE_ACCESS_REMOVED, "no access to this channel");
    connection.setState({ ...member, permissions });
    this.#audience.admit(connection);
    this.outbox.flush(); // anything queued for it before admission (an error) goes first, apart
    send(this, connection, {
      type: "welcome",
      channelId: this.name,
      userId: member.userId,
      permissions: permissionNames(permissions),
      ...position,
    });
    this.outbox.flush(); // the welcome goes out alone, never in a batch: clients wait for it as it is
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + ACCESS_RECHECK_MS);
  }

  /**
   * While sockets are open, every person's access and every socket's session are read
   * again each ACCESS_RECHECK_MS: changes are pushed the moment they happen, and this
   * catches a push that was lost.
   */
  override async onAlarm(): Promise<void> {
    const connections = [...this.getConnections<Member>()].filter((connection) => connection.state);
    if (connections.length === 0) return;
    const sessionIds = [...new Set(connections.map((connection) => connection.state!.sessionId))];
    const live = new Set(await query(this.env.DATABASE, "liveSessionIds", { sessionIds }));
    for (const connection of connections) {
      if (!live.has(connection.state!.sessionId)) this.#close(connection, CLOSE_SESSION_ENDED, "session ended");
    }
    await this.accessChanged(null, { isQuiet: true });
    await this.ctx.storage.setAlarm(Date.now() + ACCESS_RECHECK_MS);
  }

  /** A frame's cost to its sender's account-wide budget: its size, and more for a resume (it reads history). */
  #spendBudget(userId: string, message: WSMessage): boolean | Promise<boolean> {
    const size = typeof message === "string" ? message.length : message.byteLength;
    // A frame over the cap is refused by the parser (frame_too_large) and costs nothing.
    if (size > SOCKET_FRAME_MAX_BYTES) return true;
    // A resume is not charged: the first frame after every reconnect is one, and waiting for a
    // lease there changed when catch-up ran against live relays (the chaos test once saw a
    // client end two messages short). Resumes stay bounded by the socket's own frame limit.
    const isResume = typeof message === "string" && /"type"\s*:\s*"resume"/.test(message.slice(0, 256));
    if (isResume) return true;
    return this.#budgets.spend(userId, size);
  }

  override async onClose(connection: Connection<Member>): Promise<void> {
    this.#rateLimiter.forget(connection.id);
    this.#audience.leave(connection.id);
    if (connection.state) await this.env.USER_SOCKETS.getByName(connection.state.userId).closed(this.name);
  }

  /**
   * partyserver reads a socket's attachment on every incoming frame to recognise its own
   * sockets; a socket this room admitted is known already, so its frames skip that read.
   * (The audience is filled only after partyserver started the room, so nothing is skipped
   * but the read.)
   */
  override async webSocketMessage(socket: WebSocket, message: WSMessage): Promise<void> {
    const connection = this.#audience.connectionOf(socket);
    if (!connection) return super.webSocketMessage(socket, message);
    return this.onMessage(connection, message);
  }

  override async onMessage(connection: Connection<Member>, message: WSMessage): Promise<void> {
    // Name the refused request, when it has a client id, so the client can retry it later.
    const clientId =
      typeof message === "string" ? /"clientId":"([A-Za-z0-9_-]{8,64})"/.exec(message.slice(0, 512))?.[1] : undefined;
    if (!this.#rateLimiter.allow(connection.id)) {
      return send(this, connection, {
        type: "error",
        code: "rate_limited",
        message: "too many frames: slow down",
        clientId,
      });
    }
    const spending = connection.state ? this.#spendBudget(connection.state.userId, message) : true;
    const isWithinBudget = spending === true || (await Promise.resolve(spending).catch(() => null));
    if (isWithinBudget === null) {
      // The person's UserSockets object could not be asked: say so, so the client retries.
      return send(this, connection, { type: "error", code: "unavailable", message: "try again shortly", clientId });
    }
    if (!isWithinBudget) {
      return send(this, connection, {
        type: "error",
        code: "rate_limited",
        message: "your sockets together are sending too much: slow down",
        clientId,
      });
    }
    try {
      await receiveFrame(this, connection, message);
    } catch (error) {
      // partyserver does not await this hook: an escaped error would be lost silently. Reading
      // access with a cold cache while the database is down lands here: say so, so it is retried.
      const isUnavailable = error instanceof DatabaseError && error.kind === "unavailable";
      if (!isUnavailable) console.error(`room ${this.name}: frame failed: ${(error as Error).message}`);
      send(this, connection, {
        type: "error",
        code: isUnavailable ? "unavailable" : "internal",
        message: isUnavailable ? "the database is unreachable: retry" : "the frame could not be handled",
        clientId,
      });
    }
  }

  /** Closes the sockets of a revoked session or a suspended user; returns how many. */
  async disconnect(selector: SocketSelector): Promise<number> {
    const tags = selector.sessionIds === "all" ? [userTag(selector.userId)] : selector.sessionIds.map(sessionTag);
    let closed = 0;
    for (const tag of tags) {
      for (const connection of this.getConnections(tag)) {
        this.#close(connection, CLOSE_SESSION_ENDED, selector.reason);
        closed++;
      }
    }
    return closed;
  }

  /**
   * Someone's access changed (or everyone's, with null): reload it, close the sockets
   * of those who lost the channel, and tell the others what they may do now.
   * Returns how many sockets were closed.
   */
  async accessChanged(userId: string | null, options: { isQuiet?: boolean } = {}): Promise<number> {
    this.access.forget(userId);
    const connections = [...this.getConnections<Member>(userId ? userTag(userId) : undefined)];
    let closed = 0;
    for (const connection of connections) {
      if (!connection.state) continue;
      const permissions = await this.access.permissions(connection.state.userId);
      if (permissions === 0) {
        this.closeForAccess(connection);
        closed++;
        continue;
      }
      // A periodic re-check tells only what changed; a pushed change always answers.
      if (options.isQuiet && permissions === connection.state.permissions) continue;
      connection.setState({ ...connection.state, permissions });
      send(this, connection, { type: "permissions", permissions: permissionNames(permissions) });
    }
    return closed;
  }

  closeForAccess(connection: Connection<Member>): void {
    this.#close(connection, CLOSE_ACCESS_REMOVED, "you no longer have access to this channel");
  }

  /** Takes the socket out of the audience and closes it; what was queued for it goes first. */
  #close(connection: Connection, code: number, reason: string): void {
    this.#audience.leave(connection.id);
    this.outbox.flush();
    connection.close(code, reason);
  }

  relay(message: string, exceptConnectionId?: string): void {
    this.#audience.relay(message, exceptConnectionId);
  }

  /** Every commit goes through this room, so the epoch read once stays true (a new group starts at 0). */
  mlsEpoch(): Promise<number | null> {
    if (!this.#mlsEpoch) {
      const loading = query(this.env.DATABASE, "mlsGroup", { channelId: this.name }).then(
        (group) => group?.epoch ?? null,
      );
      // A failed read is not remembered: the next envelope tries again.
      loading.catch(() => {
        if (this.#mlsEpoch === loading) this.#mlsEpoch = undefined;
      });
      this.#mlsEpoch = loading;
    }
    return this.#mlsEpoch;
  }

  get database(): Env["DATABASE"] {
    return this.env.DATABASE;
  }

  /** Created on first use: the room's name (its channel id) is only known once a request arrives. */
  get access(): RoomAccess {
    this.#access ??= new RoomAccess(this.name, this.env.DATABASE, this.ctx.storage);
    return this.#access;
  }

  get activity(): ActivityNotifier {
    this.#activity ??= new ActivityNotifier(this.env, (work) => this.ctx.waitUntil(work));
    return this.#activity;
  }

  async notifyAccount(userId: string, frame: EventsServerFrame): Promise<void> {
    await this.env.USER_SOCKETS.getByName(userId)
      .push(frame)
      .catch((error: Error) => console.warn(`room ${this.name}: account of ${userId} not told: ${error.message}`));
  }

  get batcher(): AppendBatcher {
    this.#batcher ??= new AppendBatcher(this.name, this.env.DATABASE, (work) => this.enqueue(work));
    return this.#batcher;
  }

  /**
   * The MLS delivery service's one door for commits (verified by the handler): a commit
   * built on the group's current epoch is stored (one per epoch: the first wins) in the
   * room's write order, so it reaches the sockets after the messages stored before it,
   * then relayed: with its bytes when small, else clients fetch it from the log.
   */
  async acceptMlsCommit(input: MlsCommitInput): Promise<MlsCommitResult> {
    const result = await this.enqueue(() => query(this.env.DATABASE, "appendMlsCommit", input));
    if (result.ok) {
      this.#mlsEpoch = Promise.resolve(result.epoch);
      const isInline = input.commit.length <= MLS_HANDSHAKE_COMMIT_MAX_BYTES;
      const frame = {
        type: "handshake",
        epoch: input.epoch,
        ...(isInline ? { commit: bytesToBase64(input.commit) } : {}),
        committerDeviceId: input.committerDeviceId,
      } satisfies ServerFrame;
      // To every admitted socket, the committer's too: a client skips epochs it is past.
      this.#audience.relay(JSON.stringify(frame));
    }
    return result;
  }

  /**
   * A member's device founds the group again (verified by the handler): in the room's write
   * order, like a commit, so the cached epoch follows; the frame carries no commit, members
   * read the group again, find the new generation and join it.
   */
  async refoundMlsGroup(input: MlsRefoundInput & { committerDeviceId: string }): Promise<MlsRefoundResult> {
    const { committerDeviceId, ...refounding } = input;
    const result = await this.enqueue(() => query(this.env.DATABASE, "refoundMlsGroup", refounding));
    if (result.ok) {
      this.#mlsEpoch = Promise.resolve(result.group.epoch);
      const frame = { type: "handshake", epoch: 0, committerDeviceId } satisfies ServerFrame;
      this.#audience.relay(JSON.stringify(frame));
    }
    return result;
  }

  /** How many sockets this room holds now (the admin page's live figures). */
  async liveSockets(): Promise<number> {
    return [...this.getConnections()].length;
  }

  /** How many sockets of the user this room holds (UserSockets recounts with it). */
  async socketsOf(userId: string): Promise<number> {
    return [...this.getConnections(userTag(userId))].length;
  }

  connectionsOf(userId: string): Iterable<Connection<Member>> {
    return this.getConnections<Member>(userTag(userId));
  }

  enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work);
    this.#queue = result.catch(() => {});
    return result;
  }
}
