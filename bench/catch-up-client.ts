/**
 * The two kinds of socket in the catch-up scenario. A Reader follows its channel
 * live, remembers the last event it saw, and after a reconnect resumes from it,
 * collecting the `sync` pages until `synced`. A Writer sends messages with a few
 * outstanding and keeps what each ack said (seq, event), so what every reader
 * should get back is known exactly.
 */
import { randomBytes } from "node:crypto";
import { ChannelSocket, type MessageFields, type ServerFrame } from "./channel-socket.ts";
import type { Dial } from "./target.ts";

const ERRORS_KEPT = 5;

export class Reader {
  readonly index: number;
  readonly channel: number;
  lastSeq = 0;
  lastEvent = 0;
  liveMessages = 0;
  outOfOrder = 0;
  /** After the reconnect: the messages of the sync pages, in arrival order. */
  resumed: MessageFields[] = [];
  syncPages = 0;
  /** Resume requests sent: more than one when the server bounds a resume and says `hasMore`. */
  resumes = 0;
  /** Live frames that arrived while resuming (none are expected: the writers are done). */
  liveWhileResuming = 0;
  welcomeEvent: number | undefined;
  syncedEvent: number | undefined;
  syncedAt: number | undefined;
  closeCode: number | undefined;
  readonly errors: string[] = [];
  #socket: ChannelSocket | undefined;

  constructor(index: number, channel: number) {
    this.index = index;
    this.channel = channel;
  }

  async connect(dial: Dial): Promise<void> {
    this.#socket = await ChannelSocket.open(dial);
    this.#follow(this.#socket);
  }

  /** Reconnects and asks for everything after the last event seen; `onSynced` runs at `synced`. */
  async resume(dial: Dial, onSynced: () => void): Promise<void> {
    const socket = await ChannelSocket.open(dial);
    this.#socket = socket;
    this.welcomeEvent = socket.welcome.lastEvent;
    this.#follow(socket, onSynced);
    this.resumes++;
    socket.send({ type: "resume", afterEvent: this.lastEvent });
  }

  close(): void {
    this.#socket?.close();
  }

  #follow(socket: ChannelSocket, onSynced?: () => void): void {
    this.closeCode = undefined;
    socket.onClose = (code) => (this.closeCode = code);
    socket.onFrame = (frame: ServerFrame) => {
      if (frame.type === "message") {
        if (onSynced) this.liveWhileResuming++;
        else this.liveMessages++;
        if (frame.message.seq <= this.lastSeq) this.outOfOrder++;
        this.lastSeq = Math.max(this.lastSeq, frame.message.seq);
        this.lastEvent = Math.max(this.lastEvent, frame.message.event);
      } else if (frame.type === "sync") {
        this.syncPages++;
        this.resumed.push(...frame.messages);
      } else if (frame.type === "synced" && frame.hasMore) {
        this.resumes++;
        socket.send({ type: "resume", afterEvent: frame.lastEvent });
      } else if (frame.type === "synced") {
        this.syncedEvent = frame.lastEvent;
        this.syncedAt = performance.now();
        onSynced?.();
      } else if (frame.type === "error") {
        this.#fail(`error frame ${frame.code}: ${frame.message}`);
      }
    };
  }

  #fail(description: string): void {
    if (this.errors.length < ERRORS_KEPT) this.errors.push(`reader ${this.index}: ${description}`);
  }
}

export class Writer {
  readonly channel: number;
  /** What the acks said, in ack order. */
  readonly acked: MessageFields[] = [];
  refused = 0;
  #socket: ChannelSocket | undefined;
  #counter = 0;
  readonly #tag = randomBytes(4).toString("hex");

  constructor(channel: number) {
    this.channel = channel;
  }

  async connect(dial: Dial): Promise<void> {
    this.#socket = await ChannelSocket.open(dial);
  }

  /** Sends `count` messages, at most `window` unacknowledged; resolves once every one is acked or refused. */
  send(count: number, window: number, payloadBytes: number): Promise<MessageFields[]> {
    const socket = this.#socket!;
    const start = this.acked.length;
    if (count === 0) return Promise.resolve([]);
    let sent = 0;
    let settled = 0;
    return new Promise((resolve) => {
      const sendNext = () => {
        sent++;
        const clientId = `catchup-${this.#tag}-${this.channel}-${this.#counter++}`;
        socket.send({ type: "send", clientId, payload: randomBytes(payloadBytes).toString("base64") });
      };
      socket.onFrame = (frame) => {
        if (frame.type === "ack") this.acked.push(frame.message);
        else if (frame.type === "error" && frame.clientId) this.refused++;
        else return;
        settled++;
        if (settled === count) resolve(this.acked.slice(start));
        else if (sent < count) sendNext();
      };
      for (let slot = 0; slot < Math.min(window, count); slot++) sendNext();
    });
  }

  close(): void {
    this.#socket?.close();
  }
}
