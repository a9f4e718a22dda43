/**
 * ChannelRoom: one Durable Object per channel, coordinating its WebSockets. It
 * hibernates when idle (sockets stay open, memory is freed) and wakes on a frame.
 * A table of contents: each hook delegates to a named module (admission, frame intake,
 * chat, calls, MLS delivery); the methods below the hooks are the RPC surface the HTTP
 * side and the UserSockets objects call.
 */
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import { isTimingSpans, log, query, type QueryInput, type QueryOutput } from "../db/index.ts";
import {
  CLOSE_ACCESS_REMOVED,
  CLOSE_SESSION_ENDED,
  permissionNames,
  type EventsServerFrame,
} from "../protocol/index.ts";
import { ActivityNotifier } from "./activity.ts";
import { admitSocket, DEFAULT_SOCKETS_PER_USER, type AdmittingRoom } from "./admission.ts";
import { Audience } from "./audience.ts";
import { AppendBatcher } from "./append-batcher.ts";
import { socketAdmitted, socketGone } from "./room-metrics.ts";
import { CallAnnouncer } from "./calls/call-announcer.ts";
import { CallBook } from "./calls/call-book.ts";
import { rosterFrame } from "./calls/call-changes.ts";
import {
  callDeadlinesPassed,
  callSocketsChecked,
  declineCall,
  permissionsChanged,
  socketClosed,
} from "./calls/call-lifecycle.ts";
import type { CallRoom } from "./calls/call-room.ts";
import { isParticipantSignal } from "./calls/relay-signal.ts";
import { callSettings, type CallSettings } from "./calls/call-settings.ts";
import { receiveFrame } from "./chat.ts";
import { FrameIntake } from "./frame-intake.ts";
import { DEFAULT_FRAMES_PER_SECOND, FrameRateLimiter } from "./frame-rate-limiter.ts";
import { readIdentity, sessionTag, userTag, type Member } from "./identity.ts";
import { MlsDelivery } from "./mls-delivery.ts";
import { Outbox } from "./outbox.ts";
import { RoomAccess } from "./room-access.ts";
import { send } from "./room-frames.ts";
import { announceStored } from "./send-message.ts";
import { RoomAlarm } from "./room-alarm.ts";
import { RoomBudgets } from "./user-budget.ts";
import type { SocketSelector } from "./user-sockets.ts";

export { CLOSE_ACCESS_REMOVED, CLOSE_SESSION_ENDED };

export class ChannelRoom extends Server<Env> implements CallRoom, AdmittingRoom {
  static override options = { hibernate: true };
  #queue: Promise<unknown> = Promise.resolve();
  #intake: FrameIntake;
  #access: RoomAccess | undefined;
  #batcher: AppendBatcher | undefined;
  #activity: ActivityNotifier | undefined;
  #mls: MlsDelivery | undefined;
  readonly outbox = new Outbox();
  #audience = new Audience(() => this.getConnections<Member>(), this.outbox);
  readonly socketsPerUser: number;
  readonly isTimingSpans: boolean;
  readonly calls: CallBook;
  readonly callSettings: CallSettings;
  readonly callAnnouncer: CallAnnouncer;
  #alarm: RoomAlarm;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const settings = env as { SOCKET_FRAMES_PER_SECOND?: string; SOCKETS_PER_USER?: string };
    const framesPerSecond = Number(settings.SOCKET_FRAMES_PER_SECOND);
    const socketRate = framesPerSecond > 0 ? framesPerSecond : DEFAULT_FRAMES_PER_SECOND;
    const rateLimiter = new FrameRateLimiter(socketRate);
    const budgets = new RoomBudgets(
      (userId, request) => this.env.USER_SOCKETS.getByName(userId).lease(request),
      socketRate,
    );
    this.#intake = new FrameIntake(rateLimiter, budgets);
    const socketsPerUser = Number(settings.SOCKETS_PER_USER);
    this.socketsPerUser = socketsPerUser > 0 ? socketsPerUser : DEFAULT_SOCKETS_PER_USER;
    this.isTimingSpans = isTimingSpans(env);
    this.calls = new CallBook(ctx.storage);
    this.callSettings = callSettings(env);
    this.callAnnouncer = new CallAnnouncer(env, (work) => ctx.waitUntil(work));
    this.#alarm = new RoomAlarm(ctx.storage);
    // Before any event, so every handler (RPCs too) sees the call without waiting for storage.
    void ctx.blockConcurrencyWhile(async () => {
      await this.calls.load();
      await this.#alarm.load();
    });
  }

  // --- partyserver's hooks ------------------------------------------------------------

  override getConnectionTags(_connection: Connection, context: ConnectionContext): string[] {
    const member = readIdentity(context.request);
    return member ? [userTag(member.userId), sessionTag(member.sessionId)] : [];
  }

  /** Once per start (after hibernation or a restart): participants whose sockets are gone get the grace period. */
  override onStart(): void {
    callSocketsChecked(this);
  }

  override async onConnect(connection: Connection<Member>, context: ConnectionContext): Promise<void> {
    const member = readIdentity(context.request);
    // Only forwardToRoom reaches a room; a request without identity is a bug, not a user.
    if (!member) return connection.close(1008, "unauthenticated");
    if (!(await admitSocket(this, connection, member))) return;
    socketAdmitted(this.name, connection.id);
    // A socket arriving while a call is on learns who is in it, right after its welcome.
    if (this.calls.call) send(this, connection, rosterFrame(this, this.calls.call));
    this.#alarm.socketOpened();
    this.scheduleAlarm();
  }

  /**
   * One alarm, two uses: the call's deadlines (a reconnect grace, a ring running out) and
   * the periodic access re-check. An alarm that brought no call deadline is the re-check's
   * (also when run early, as tests do).
   */
  override async onAlarm(): Promise<void> {
    const now = Date.now();
    const isCallDue = callDeadlinesPassed(this, now);
    if (!isCallDue || this.#alarm.isRecheckDue(now)) await this.#recheckAccess();
    this.scheduleAlarm();
  }

  /**
   * While sockets are open, every person's access and every socket's session are read
   * again each ACCESS_RECHECK_MS (rooms/room-alarm.ts): changes are pushed the moment they
   * happen, and this catches a push that was lost.
   */
  async #recheckAccess(): Promise<void> {
    const connections = [...this.getConnections<Member>()].filter((connection) => connection.state);
    if (connections.length === 0) return this.#alarm.rechecked(false);
    const sessionIds = [...new Set(connections.map((connection) => connection.state!.sessionId))];
    const live = new Set(await query(this.env.DATABASE, "liveSessionIds", { sessionIds }));
    for (const connection of connections) {
      if (!live.has(connection.state!.sessionId)) this.#close(connection, CLOSE_SESSION_ENDED, "session ended");
    }
    await this.accessChanged(null, { isQuiet: true });
    this.#alarm.rechecked(true);
  }

  /** Sets the alarm to the earliest of the access re-check and the call's next deadline. */
  scheduleAlarm(): void {
    this.#alarm.schedule(this.calls.nextDeadline());
  }

  override async onClose(connection: Connection<Member>): Promise<void> {
    this.#intake.forget(connection.id);
    socketGone(this.name, connection.id);
    this.#audience.leave(connection.id);
    socketClosed(this, connection.id, false);
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
    // A call participant's signals are bounded per participant (rooms/calls/relay-signal.ts).
    const isSignal = isParticipantSignal(this, connection.id, message);
    await this.#intake.receive(this, connection, message, receiveFrame, isSignal);
  }

  // --- RPC: the HTTP side and the UserSockets objects ---------------------------------

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
      permissionsChanged(this, connection, permissions);
      // A periodic re-check tells only what changed; a pushed change always answers.
      if (options.isQuiet && permissions === connection.state.permissions) continue;
      connection.setState({ ...connection.state, permissions });
      send(this, connection, { type: "permissions", permissions: permissionNames(permissions) });
    }
    return closed;
  }

  /** The MLS delivery service's one door for commits (verified by the handler; rooms/mls-delivery.ts). */
  acceptMlsCommit(input: QueryInput<"appendMlsCommit">): Promise<QueryOutput<"appendMlsCommit">> {
    return this.#mlsDelivery.acceptCommit(input);
  }

  /** A member's device founds the group again (verified by the handler; rooms/mls-delivery.ts). */
  refoundMlsGroup(
    input: QueryInput<"refoundMlsGroup"> & { committerDeviceId: string },
  ): Promise<QueryOutput<"refoundMlsGroup">> {
    return this.#mlsDelivery.refound(input);
  }

  /** `userId` declines the call ringing for them here; false when none rings for them. */
  async declineCall(userId: string): Promise<boolean> {
    return declineCall(this, userId);
  }

  /** How many sockets this room holds now (the admin page's live figures). */
  async liveSockets(): Promise<number> {
    return [...this.getConnections()].length;
  }

  /** How many sockets of the user this room holds (UserSockets recounts with it). */
  async socketsOf(userId: string): Promise<number> {
    return [...this.getConnections(userTag(userId))].length;
  }

  // --- What the frame handlers use (rooms/chat-room.ts) -------------------------------

  closeForAccess(connection: Connection<Member>): void {
    this.#close(connection, CLOSE_ACCESS_REMOVED, "you no longer have access to this channel");
  }

  /**
   * Takes the socket out of the audience and closes it; what was queued for it goes first.
   * Its person leaves the call at once: the room closes sockets only for lost access or sessions.
   */
  #close(connection: Connection, code: number, reason: string): void {
    socketClosed(this, connection.id, true);
    this.#audience.leave(connection.id);
    this.outbox.flush();
    connection.close(code, reason);
  }

  connection(connectionId: string): Connection<Member> | undefined {
    return this.getConnection<Member>(connectionId);
  }

  admit(connection: Connection<Member>): void {
    this.#audience.admit(connection);
  }

  relay(message: string, exceptConnectionId?: string): void {
    this.#audience.relay(message, exceptConnectionId);
  }

  mlsEpoch(): Promise<number | null> {
    return this.#mlsDelivery.epoch();
  }

  get #mlsDelivery(): MlsDelivery {
    this.#mls ??= new MlsDelivery(
      this.name,
      this.env.DATABASE,
      (work) => this.enqueue(work),
      (message) => this.#audience.relay(message),
    );
    return this.#mls;
  }

  get database(): Env["DATABASE"] {
    return this.env.DATABASE;
  }

  get userSockets(): Env["USER_SOCKETS"] {
    return this.env.USER_SOCKETS;
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
      .catch((error: Error) => log.warn("account_not_told", { channelId: this.name, userId, error: error.message }));
  }

  removeFiles(uploads: { id: string; size: number; received: number }[]): void {
    // functions/file-removal.ts; a failure leaves the rows marked, for housekeeping.
    this.ctx.waitUntil(
      this.env.FILE_REMOVAL.remove({ uploads }).catch((error: Error) =>
        log.warn("message_files_left_to_housekeeping", { channelId: this.name, error: error.message }),
      ),
    );
  }

  get batcher(): AppendBatcher {
    this.#batcher ??= new AppendBatcher(
      this.name,
      this.env.DATABASE,
      (work) => this.enqueue(work),
      (message) => announceStored(this, message),
    );
    return this.#batcher;
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
