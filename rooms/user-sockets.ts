/**
 * UserSockets: one small Durable Object per user. It knows which channel rooms hold
 * the user's sockets (so a revocation closes them at once and an access change
 * reaches them), and it holds the user's account sockets: their presence, the
 * activity of every channel they may view, and reads from their other devices.
 */
import { DEFAULT_FRAMES_PER_SECOND } from "./frame-rate-limiter.ts";
import { AccountBucket, type Lease, type LeaseRequest } from "./user-budget.ts";
import { DurableObject } from "cloudflare:workers";
import { errorText, log, query } from "../db/index.ts";
import {
  CLOSE_SESSION_ENDED,
  eventsClientFrameSchema,
  shownStatus,
  type EventsServerFrame,
  type PresenceStatus,
} from "../protocol/index.ts";
import { readIdentity, sessionTag, type Member } from "./identity.ts";
import { ChannelViews, type ChannelPlace } from "./visible-channels.ts";
import { attentionOf, noteActive, type Attention } from "./notify/attention.ts";

/** Which sockets to close: all of the user's, or only those of some sessions. */
export interface SocketSelector {
  userId: string;
  sessionIds: string[] | "all";
  reason: string;
}

const ROOM_KEY = "room:";
const STATUS_KEY = "status";
/** Spent socket tickets, by ticket id, with their expiry. */
const SPENT_TICKET_PREFIX = "spent-ticket:";
const TICKET_SWEEP_INTERVAL_MS = 60_000;
/** Storage deletes at most this many keys at once. */
const STORAGE_DELETE_MAX = 128;
const COMMUNITIES_KEY = "communities";
/**
 * The lists whose change may change what the person may view: the visibility answers are
 * forgotten then. (Not `members`: someone else joining changes nothing for them, and every
 * online member would load their channels again; their own roles go through accessChanged.)
 */
const ACCESS_SCOPES = new Set<string>(["communities", "dms", "channels", "roles"]);
/** One per browser tab is plenty; each costs a subscription to every community's hub. */
const ACCOUNT_SOCKETS_MAX = 16;
/** Each status change is relayed to every online member of every community: one a second is plenty. */
const STATUS_CHANGE_INTERVAL_MS = 1_000;

export class UserSockets extends DurableObject<Env> {
  /** Which channels' activity the user may hear of; forgotten whenever their access may have changed. */
  #views = new ChannelViews(this.env.DATABASE);
  #lastStatusChange = 0;
  #nextTicketSweep = 0;
  /** In memory: an eviction grants a fresh burst, no more. */
  #budget: AccountBucket | undefined;
  /** Storage's socket count per room, read once per wake: only this object writes it. */
  #roomCounts: Promise<Map<string, number>> | undefined;
  /** How many times each room's count was set, so a recount can tell it moved meanwhile. */
  #countChanges = new Map<string, number>();

  // --- What the person may send, across all their sockets -----------------------------

  /** A room asks for a lease of the person's account-wide budget (rooms/user-budget.ts). */
  lease(request: LeaseRequest): Lease {
    const framesPerSecond = Number((this.env as { SOCKET_FRAMES_PER_SECOND?: string }).SOCKET_FRAMES_PER_SECOND);
    this.#budget ??= new AccountBucket(framesPerSecond > 0 ? framesPerSecond : DEFAULT_FRAMES_PER_SECOND);
    return this.#budget.lease(request, Date.now());
  }

  // --- Socket tickets, spent once ----------------------------------------------------

  /**
   * Marks a socket ticket of this user spent; false when it was already. Kept in storage
   * until the ticket expires (a minute), so a wake after eviction still knows it. Input
   * gates hold other calls while storage answers, so two racing upgrades cannot both pass.
   */
  async spendTicket(ticketId: string, expiresAtMs: number): Promise<boolean> {
    const key = `${SPENT_TICKET_PREFIX}${ticketId}`;
    if ((await this.ctx.storage.get(key)) !== undefined) return false;
    await this.ctx.storage.put(key, expiresAtMs);
    const now = Date.now();
    if (now >= this.#nextTicketSweep) {
      this.#nextTicketSweep = now + TICKET_SWEEP_INTERVAL_MS;
      const spent = await this.ctx.storage.list<number>({ prefix: SPENT_TICKET_PREFIX });
      const expired = [...spent]
        .filter(([, expiry]) => expiry < now)
        .map(([name]) => name)
        .slice(0, STORAGE_DELETE_MAX);
      if (expired.length > 0) await this.ctx.storage.delete(expired);
    }
    return true;
  }

  // --- Channel sockets, counted per room ---------------------------------------------

  /** A room reports a socket of this user opened in it; returns how many the user now holds in all rooms. */
  async opened(channelId: string): Promise<number> {
    const rooms = await this.#rooms();
    await this.#count(rooms, channelId, (rooms.get(channelId) ?? 0) + 1);
    let total = 0;
    for (const open of rooms.values()) total += open;
    return total;
  }

  /** A room reports one of this user's sockets closed. */
  async closed(channelId: string): Promise<void> {
    const rooms = await this.#rooms();
    await this.#count(rooms, channelId, (rooms.get(channelId) ?? 1) - 1);
  }

  /**
   * Recounts by asking each listed room how many of the user's sockets it really
   * holds: counts drift upward when a process dies without running close hooks.
   * Returns the true total.
   */
  async reconcile(userId: string): Promise<number> {
    let total = 0;
    const rooms = await this.#rooms();
    for (const channelId of [...rooms.keys()]) {
      const changesBefore = this.#countChanges.get(channelId) ?? 0;
      // A room that cannot answer keeps its count: forgetting it would leave its sockets
      // out of reach of a revocation.
      const open = await this.env.CHANNEL_ROOM.getByName(channelId)
        .socketsOf(userId)
        .catch(() => rooms.get(channelId) ?? 0);
      // A socket opened or closed there while the room answered: the newer count stands.
      if ((this.#countChanges.get(channelId) ?? 0) !== changesBefore) {
        total += rooms.get(channelId) ?? 0;
        continue;
      }
      await this.#count(rooms, channelId, open);
      total += open;
    }
    return total;
  }

  /**
   * The user's access changed in these channels (a community's, say): each room
   * among them that holds a socket of theirs reloads it. Returns how many closed.
   */
  async accessChanged(userId: string, channelIds: string[]): Promise<number> {
    this.#views.forget();
    const mine = await this.#rooms();
    const rooms = channelIds.filter((channelId) => mine.has(channelId));
    const results = await Promise.allSettled(
      rooms.map((channelId) => this.env.CHANNEL_ROOM.getByName(channelId).accessChanged(userId)),
    );
    return results.reduce((closed, result) => closed + (result.status === "fulfilled" ? result.value : 0), 0);
  }

  /** Closes the selected sockets (channel sockets in every room, and account sockets); returns how many. */
  async disconnect(selector: SocketSelector): Promise<number> {
    let closed = 0;
    for (const socket of this.ctx.getWebSockets()) {
      const member = socket.deserializeAttachment() as Member | null;
      if (member && (selector.sessionIds === "all" || selector.sessionIds.includes(member.sessionId))) {
        socket.close(CLOSE_SESSION_ENDED, selector.reason);
        closed++;
      }
    }
    const rooms = [...(await this.#rooms()).keys()];
    // Every room is asked even if one fails, so one broken room cannot shield the rest.
    const results = await Promise.allSettled(
      rooms.map((channelId) => this.env.CHANNEL_ROOM.getByName(channelId).disconnect(selector)),
    );
    results.forEach((result, index) => {
      if (result.status === "fulfilled") closed += result.value;
      else log.error("room_did_not_disconnect", { channelId: rooms[index], error: errorText(result.reason) });
    });
    if (this.#accountSockets().length === 0) await this.#goOffline(selector.userId);
    return closed;
  }

  #rooms(): Promise<Map<string, number>> {
    this.#roomCounts ??= this.ctx.storage.list<number>({ prefix: ROOM_KEY }).then(
      (listed) => new Map([...listed].map(([key, count]) => [key.slice(ROOM_KEY.length), count])),
      (error: unknown) => {
        this.#roomCounts = undefined; // read again next time
        throw error;
      },
    );
    return this.#roomCounts;
  }

  /** Sets a room's count in memory at once (so concurrent calls see it) and in storage. */
  async #count(rooms: Map<string, number>, channelId: string, open: number): Promise<void> {
    this.#countChanges.set(channelId, (this.#countChanges.get(channelId) ?? 0) + 1);
    if (open > 0) {
      rooms.set(channelId, open);
      await this.ctx.storage.put(ROOM_KEY + channelId, open);
    } else {
      rooms.delete(channelId);
      await this.ctx.storage.delete(ROOM_KEY + channelId);
    }
  }

  // --- The account socket ------------------------------------------------------------

  /** The upgrade, forwarded by /api/events/socket with the verified identity stamped on it. */
  override async fetch(request: Request): Promise<Response> {
    const member = readIdentity(request);
    if (!member || request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a verified WebSocket upgrade", { status: 400 });
    }
    // Access may have changed while no account socket listened for the news.
    this.#views.forget();
    if (this.#accountSockets().length >= ACCOUNT_SOCKETS_MAX) {
      return new Response(`at most ${ACCOUNT_SOCKETS_MAX} account sockets per person`, { status: 429 });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [sessionTag(member.sessionId)]);
    server.serializeAttachment(member);
    const status = await this.#status();
    send(server, { type: "hello", userId: member.userId, status });
    // Subscribing is idempotent: every new socket gets the current snapshot.
    const users = await this.#subscribe(member.userId, status);
    send(server, { type: "presence", users });
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const member = socket.deserializeAttachment() as Member;
    if (typeof message !== "string" || message.length > 1024) {
      return send(socket, { type: "error", code: "malformed_frame", message: "frames are short JSON text" });
    }
    let parsed;
    try {
      parsed = eventsClientFrameSchema.safeParse(JSON.parse(message));
    } catch {
      return send(socket, { type: "error", code: "malformed_frame", message: "the frame is not valid JSON" });
    }
    if (!parsed.success) {
      return send(socket, {
        type: "error",
        code: "invalid_frame",
        message: 'expected {type: "status", status} or {type: "active"}',
      });
    }
    const now = Date.now();
    if (parsed.data.type === "active") return noteActive(socket, now);
    const { status } = parsed.data;
    if (now - this.#lastStatusChange < STATUS_CHANGE_INTERVAL_MS) {
      return send(socket, { type: "error", code: "rate_limited", message: "one status change a second at most" });
    }
    this.#lastStatusChange = now;
    await this.ctx.storage.put(STATUS_KEY, status);
    for (const other of this.#accountSockets()) send(other, { type: "hello", userId: member.userId, status });
    await this.#eachHub((hub) => hub.setStatus(member.userId, shownStatus(status)));
  }

  override async webSocketClose(socket: WebSocket): Promise<void> {
    const member = socket.deserializeAttachment() as Member | null;
    const remaining = this.#accountSockets().filter((other) => other !== socket);
    if (member && remaining.length === 0) await this.#goOffline(member.userId);
  }

  /** Online, status and whether a page is in use: the notification decision asks (rooms/notify/). */
  async attention(): Promise<Attention> {
    return attentionOf(this.#accountSockets(), await this.#status(), Date.now());
  }

  /** Whether the user holds an account socket: a community's hub asks when it wakes. */
  isOnline(): boolean {
    return this.#accountSockets().length > 0;
  }

  /**
   * Sends a frame to the user's account sockets; for a channel's news (`place`), only if they
   * may view that channel.
   */
  async push(frame: EventsServerFrame, place?: ChannelPlace): Promise<void> {
    const sockets = this.#accountSockets();
    if (sockets.length === 0) return;
    if (frame.type === "changed" && ACCESS_SCOPES.has(frame.scope)) this.#views.forget();
    if (place) {
      const member = sockets[0]!.deserializeAttachment() as Member;
      if (!(await this.#views.canView(member.userId, place))) return;
    }
    // Written once for all of them: a busy community sends each online member a frame per channel a second.
    const text = JSON.stringify(frame);
    for (const socket of sockets) sendText(socket, text);
  }

  /**
   * Activity in some of a community's channels (community-hub.ts), each item already
   * written as its `activity` frame's JSON: one frame with those the person may view.
   */
  async pushActivities(activities: (ChannelPlace & { json: string })[]): Promise<void> {
    const sockets = this.#accountSockets();
    if (sockets.length === 0) return;
    const { userId } = sockets[0]!.deserializeAttachment() as Member;
    const viewable = await Promise.all(activities.map((activity) => this.#views.canView(userId, activity)));
    const shown = activities.filter((_, index) => viewable[index]).map((activity) => activity.json);
    if (shown.length === 0) return;
    const text = shown.length === 1 ? shown[0]! : `{"type":"activities","activities":[${shown.join(",")}]}`;
    for (const socket of sockets) sendText(socket, text);
  }

  /** The user joined or left a community: follow the right hubs, and tell the client. */
  async communitiesChanged(userId: string): Promise<void> {
    this.#views.forget();
    if (this.#accountSockets().length === 0) return;
    const before = (await this.ctx.storage.get<string[]>(COMMUNITIES_KEY)) ?? [];
    const users = await this.#subscribe(userId, await this.#status());
    const after = (await this.ctx.storage.get<string[]>(COMMUNITIES_KEY)) ?? [];
    await Promise.allSettled(
      before
        .filter((communityId) => !after.includes(communityId))
        .map((communityId) => this.env.COMMUNITY_HUB.getByName(communityId).unsubscribe(userId)),
    );
    for (const socket of this.#accountSockets()) {
      send(socket, { type: "changed", scope: "communities" });
      send(socket, { type: "presence", users });
    }
  }

  #accountSockets(): WebSocket[] {
    return this.ctx.getWebSockets().filter((socket) => socket.readyState === WebSocket.OPEN);
  }

  async #status(): Promise<PresenceStatus> {
    return (await this.ctx.storage.get<PresenceStatus>(STATUS_KEY)) ?? "online";
  }

  /** Joins every community's hub with this status; returns who else is visible there now. */
  async #subscribe(userId: string, status: PresenceStatus) {
    const communities = await query(this.env.DATABASE, "communitiesForUser", { userId });
    const ids = communities.map((community) => community.id);
    await this.ctx.storage.put(COMMUNITIES_KEY, ids);
    const snapshots = await Promise.allSettled(
      ids.map((communityId) => this.env.COMMUNITY_HUB.getByName(communityId).subscribe(userId, shownStatus(status))),
    );
    const users = new Map<string, { userId: string; status: ReturnType<typeof shownStatus> }>();
    for (const snapshot of snapshots) {
      if (snapshot.status === "fulfilled") for (const user of snapshot.value) users.set(user.userId, user);
    }
    return [...users.values()];
  }

  async #goOffline(userId: string): Promise<void> {
    await this.#eachHub((hub) => hub.unsubscribe(userId));
    await this.ctx.storage.delete(COMMUNITIES_KEY);
  }

  async #eachHub(call: (hub: DurableObjectStub<import("./community-hub.ts").CommunityHub>) => Promise<unknown>) {
    const ids = (await this.ctx.storage.get<string[]>(COMMUNITIES_KEY)) ?? [];
    await Promise.allSettled(ids.map((communityId) => call(this.env.COMMUNITY_HUB.getByName(communityId))));
  }
}

function send(socket: WebSocket, frame: EventsServerFrame): void {
  sendText(socket, JSON.stringify(frame));
}

function sendText(socket: WebSocket, text: string): void {
  try {
    socket.send(text);
  } catch {
    // A socket closing under us: its close handler does the rest.
  }
}
