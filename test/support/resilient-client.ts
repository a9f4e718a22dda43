/**
 * A chat client that behaves the way the protocol asks real clients to, for the
 * chaos tests: it reconnects on its own (a fresh ticket each time), resumes from the
 * last event it holds completely, keeps per seq the view with the highest event,
 * and resends every unacknowledged message with its original client id until it is
 * acknowledged. Everything it saw is kept for the checks afterwards.
 */
import WebSocket from "ws";
import { socketProtocols, unpackFrames, type MessageView, type ServerFrame } from "../../protocol/index.ts";

export interface ResilientClientOptions {
  name: string;
  channelId: string;
  token: string;
  /** The server's current base URL (it changes when the server is restarted on another port). */
  baseUrl: () => string;
  /** Sent as X-Forwarded-For (a server that trusts loopback then counts each client apart). */
  forwardedFor?: string;
}

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 1_000;
/** How long an unanswered send waits before it is resent on the same socket. */
const RESEND_AFTER_MS = 3_000;

export class ResilientClient {
  /** Every message of the channel this client has seen, by seq, at its newest event. */
  readonly received = new Map<number, MessageView>();
  /** Acknowledged sends, by client id. */
  readonly acked = new Map<string, MessageView>();
  /** Sent but not yet acknowledged: client id → payload and when it was last sent. */
  readonly pending = new Map<string, { payload: string; sentAt: number }>();
  connects = 0;
  #socket: WebSocket | null = null;
  #isOnline = false;
  #isStopped = false;
  /** Everything up to this event is held: the next resume starts here. */
  #heldThrough = 0;
  #isSynced = false;
  #counter = 0;
  #syncWaiters: (() => void)[] = [];

  readonly options: ResilientClientOptions;
  constructor(options: ResilientClientOptions) {
    this.options = options;
  }

  start(): void {
    void this.#connect();
  }

  get isSynced(): boolean {
    return this.#isOnline && this.#isSynced;
  }

  /** Sends a new message (kept pending until acknowledged). */
  send(text: string): void {
    const clientId = `${this.options.name}-${++this.#counter}-${Math.random().toString(36).slice(2, 8)}`;
    const payload = Buffer.from(text).toString("base64");
    this.pending.set(clientId, { payload, sentAt: Date.now() });
    this.#transmit(clientId, payload);
  }

  /** Cuts the connection abruptly, as a network drop would; the client reconnects by itself. */
  cut(): void {
    this.#socket?.terminate();
  }

  /** Resends what is overdue, resumes when not synced; resolves once nothing is pending and it is synced. */
  async settle(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0 || !this.isSynced) {
      if (Date.now() > deadline) {
        throw new Error(
          `${this.options.name}: not settled after ${timeoutMs} ms (${this.pending.size} pending, online ${this.#isOnline}, synced ${this.#isSynced})`,
        );
      }
      this.#resendOverdue();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Asks for everything since the last event held completely, and waits for `synced`. */
  async resync(timeoutMs: number): Promise<void> {
    this.#isSynced = false;
    const synced = new Promise<void>((resolve) => this.#syncWaiters.push(resolve));
    this.#resume();
    await Promise.race([
      synced,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`${this.options.name}: no synced`)), timeoutMs)),
    ]);
  }

  stop(): void {
    this.#isStopped = true;
    this.#socket?.terminate();
  }

  #isConnecting = false;

  async #connect(): Promise<void> {
    if (this.#isConnecting) return;
    this.#isConnecting = true;
    try {
      await this.#connectUntilOpen();
    } finally {
      this.#isConnecting = false;
    }
  }

  async #connectUntilOpen(): Promise<void> {
    while (!this.#isStopped) {
      try {
        const base = this.options.baseUrl();
        const path = `/api/channels/${this.options.channelId}`;
        const ticket = await fetch(`${base}${path}/socket-ticket`, {
          method: "POST",
          headers: { Authorization: `Bearer ${this.options.token}`, ...this.#forwarded() },
          signal: AbortSignal.timeout(3_000),
        });
        if (!ticket.ok) throw new Error(`ticket: ${ticket.status}`);
        const { ticket: value } = (await ticket.json()) as { ticket: string };
        await this.#open(`${base.replace("http", "ws")}${path}/socket`, value);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_MIN_MS + Math.random() * RECONNECT_MAX_MS));
      }
    }
  }

  #open(url: string, ticket: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, socketProtocols(ticket), { headers: this.#forwarded() });
      this.#socket = socket;
      socket.once("open", () => resolve());
      socket.once("error", (error) => reject(error));
      socket.on("message", (data) => {
        // Frames of a socket already replaced (cut, then reconnected) are ignored.
        if (this.#socket !== socket) return;
        for (const frame of unpackFrames(JSON.parse(String(data)) as ServerFrame)) this.#receive(frame);
      });
      socket.once("close", () => {
        if (this.#socket !== socket) return;
        this.#isOnline = false;
        this.#isSynced = false;
        if (!this.#isStopped) setTimeout(() => void this.#connect(), RECONNECT_MIN_MS * (1 + Math.random()));
      });
    });
  }

  #receive(frame: ServerFrame): void {
    switch (frame.type) {
      case "welcome":
        this.connects++;
        this.#isOnline = true;
        this.#resume();
        // Everything unacknowledged goes again with its original id: stored at most once.
        for (const [clientId, { payload }] of this.pending) this.#transmit(clientId, payload);
        return;
      case "ack":
        this.pending.delete(frame.clientId);
        this.acked.set(frame.clientId, frame.message);
        return this.#hold(frame.message, true);
      case "message":
      case "update":
      case "done":
        return this.#hold(frame.message, true);
      case "sync":
        for (const message of frame.messages) this.#hold(message, false);
        return;
      case "synced":
        // Too far behind for one resume: the rest comes from the next one.
        if (frame.hasMore) {
          this.#heldThrough = Math.max(this.#heldThrough, frame.lastEvent);
          return this.#resume();
        }
        // As the web app's resume point: live frames before `synced` may have overtaken
        // catch-up pages still on their way, so they say nothing about the events below them.
        this.#heldThrough = Math.max(this.#heldThrough, frame.lastEvent);
        this.#isSynced = true;
        this.#syncWaiters.splice(0).forEach((wake) => wake());
        return;
      case "error":
        // Unavailable, rate-limited or internal: the send stays pending and goes again later.
        return;
      default:
        return;
    }
  }

  #hold(message: MessageView, isLive: boolean): void {
    const known = this.received.get(message.seq);
    if (!known || known.event < message.event) this.received.set(message.seq, message);
    if (isLive) {
      // After `synced`, the socket's live frames are complete, so they advance the resume point.
      if (this.#isSynced) this.#heldThrough = Math.max(this.#heldThrough, message.event);
    }
  }

  #forwarded(): Record<string, string> {
    return this.options.forwardedFor ? { "X-Forwarded-For": this.options.forwardedFor } : {};
  }

  #resume(): void {
    this.#isSynced = false;
    if (this.#socket?.readyState === WebSocket.OPEN) {
      this.#socket.send(JSON.stringify({ type: "resume", afterEvent: this.#heldThrough }));
    }
  }

  #transmit(clientId: string, payload: string): void {
    const pending = this.pending.get(clientId);
    if (pending) pending.sentAt = Date.now();
    if (this.#isOnline && this.#socket?.readyState === WebSocket.OPEN) {
      this.#socket.send(JSON.stringify({ type: "send", clientId, payload }));
    }
  }

  #resendOverdue(): void {
    const now = Date.now();
    for (const [clientId, { payload, sentAt }] of this.pending) {
      if (now - sentAt > RESEND_AFTER_MS) this.#transmit(clientId, payload);
    }
  }
}
