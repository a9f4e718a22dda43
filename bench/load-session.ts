/**
 * One topology of member sockets (channels x members) speaking Chatalot's socket
 * frames. Every payload carries its send time (performance.now(), float64, first
 * 8 bytes), so receivers time delivery from the bytes they got; all sockets live in
 * this process, so the clocks agree. Each socket also checks that sequence numbers
 * only grow: the room relays in sequence order.
 */
import { randomBytes } from "node:crypto";
import { WebSocket } from "ws";
import { MessageLedger } from "./message-ledger.ts";
import type { Dial, Target } from "./target.ts";

const WELCOME_TIMEOUT_MS = 15_000;
/** Sockets dialled at once while connecting (each needs a ticket and an upgrade). */
const CONNECT_CONCURRENCY = 8;
/** How long close() waits for the server to answer the closing handshakes. */
const CLOSE_TIMEOUT_MS = 10_000;
const ERROR_SAMPLES_KEPT = 5;

export interface Member {
  /** Unique within the session: channel x members per channel + position. */
  index: number;
  channel: number;
  /** Place within its channel, 0 .. membersPerChannel - 1. */
  position: number;
  socket: WebSocket;
  /** Highest sequence number this socket has seen (acks and relays). */
  lastSeq: number;
}

type Frame =
  | { type: "welcome" }
  | { type: "ack" | "message"; message: { seq: number; clientId: string; payload: string } }
  | { type: "error"; code: string; message: string; clientId?: string }
  /** Several frames at once, in order (protocol/socket.ts); the reference servers never send it. */
  | { type: "frames"; frames: Frame[] };

export class LoadSession {
  readonly members: Member[] = [];
  readonly membersPerChannel: number;
  readonly payloadBytes: number;
  ledger = new MessageLedger();
  ackLatencies: number[] = [];
  deliveryLatencies: number[] = [];
  /** The send time (performance.now()) of each delivery latency sample, for latency over time. */
  deliverySentAt: number[] = [];
  /** Running counters, read at the edges of a timed window. */
  acks = 0;
  deliveries = 0;
  errors = 0;
  outOfOrder = 0;
  readonly errorSamples: string[] = [];
  /** Called when one of a member's messages is acked or refused. */
  onSettle: ((member: Member) => void) | undefined;
  /**
   * Client ids must differ between sessions: the server deduplicates on (channel,
   * sender, client id) and answers a repeat with the stored message, unrelayed.
   */
  #tag = randomBytes(4).toString("hex");
  #counter = 0;
  #isClosing = false;

  constructor(membersPerChannel: number, payloadBytes: number) {
    this.membersPerChannel = membersPerChannel;
    this.payloadBytes = payloadBytes;
  }

  static async connect(
    target: Target,
    channels: string[],
    membersPerChannel: number,
    payloadBytes: number,
    {
      concurrency = CONNECT_CONCURRENCY,
      onConnected,
    }: { concurrency?: number; onConnected?: (count: number) => void } = {},
  ) {
    const session = new LoadSession(membersPerChannel, payloadBytes);
    const slots = channels.flatMap((key, channel) =>
      Array.from({ length: membersPerChannel }, (_, position) => ({ key, channel, position })),
    );
    let next = 0;
    let connected = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, slots.length) }, async () => {
        while (next < slots.length) {
          const index = next++;
          const slot = slots[index]!;
          const dial = await target.dial(slot.key, index);
          session.members[index] = await session.#open(dial, index, slot.channel, slot.position);
          onConnected?.(++connected);
        }
      }),
    );
    return session;
  }

  /** Starts a new ledger and zeroes the counters, for the next scenario on the same sockets. */
  reset(): void {
    this.ledger = new MessageLedger();
    this.acks = this.deliveries = this.errors = this.outOfOrder = 0;
    this.errorSamples.length = 0;
    this.startMeasuring();
  }

  /** Forgets latency samples so far (after a warm-up). */
  startMeasuring(): void {
    this.ackLatencies = [];
    this.deliveryLatencies = [];
    this.deliverySentAt = [];
  }

  send(member: Member): void {
    const clientId = `bench-${this.#tag}-${member.index}-${this.#counter++}`;
    const payload = randomBytes(this.payloadBytes);
    const sentAt = performance.now();
    payload.writeDoubleLE(sentAt, 0);
    this.ledger.recordSend(clientId, sentAt, member.channel, member.index);
    member.socket.send(JSON.stringify({ type: "send", clientId, payload: payload.toString("base64") }));
  }

  counts() {
    return { ...this.ledger.counts(this.membersPerChannel), outOfOrder: this.outOfOrder, errors: this.errors };
  }

  /**
   * Closes every socket and waits (up to a bound) until the server has answered each
   * closing handshake, so the next scenario does not count sockets still closing.
   */
  async close(): Promise<void> {
    this.#isClosing = true;
    const closed = this.members.map((member) =>
      member.socket.readyState === WebSocket.CLOSED
        ? Promise.resolve()
        : new Promise<void>((resolve) => member.socket.once("close", () => resolve())),
    );
    for (const member of this.members) member.socket.close(1000);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)));
    await Promise.race([Promise.all(closed), timeout]);
    clearTimeout(timer);
  }

  #open(dial: Dial, index: number, channel: number, position: number): Promise<Member> {
    const socket = new WebSocket(dial.url, dial.protocols ?? [], { perMessageDeflate: false, headers: dial.headers });
    const member: Member = { index, channel, position, socket, lastSeq: 0 };
    return new Promise((resolve, reject) => {
      const noWelcome = () => reject(new Error(`no welcome frame within ${WELCOME_TIMEOUT_MS} ms`));
      const timer = setTimeout(noWelcome, WELCOME_TIMEOUT_MS);
      socket.on("message", (data) => {
        let frame: Frame;
        try {
          frame = JSON.parse(String(data)) as Frame;
        } catch {
          return this.#fail(`a frame that is not JSON: ${String(data).slice(0, 80)}`);
        }
        if (frame.type === "frames") {
          for (const each of frame.frames)
            if (each.type !== "welcome" && each.type !== "frames") this.#receive(member, each);
          return;
        }
        if (frame.type !== "welcome") return this.#receive(member, frame);
        clearTimeout(timer);
        resolve(member);
      });
      socket.on("error", (error) => {
        this.#fail(`socket error: ${error.message}`);
        reject(error);
      });
      socket.on("close", (code, reason) => {
        if (this.#isClosing) return;
        this.#fail(`socket closed: ${code} ${String(reason)}`);
        reject(new Error(`the socket closed before its welcome frame: ${code} ${String(reason)}`));
      });
    });
  }

  #receive(member: Member, frame: Exclude<Frame, { type: "welcome" | "frames" }>): void {
    const now = performance.now();
    if (frame.type === "error") {
      this.#fail(`error frame: ${frame.code}: ${frame.message}`);
      if (frame.clientId && this.ledger.recordRefusal(frame.clientId)) this.onSettle?.(member);
      return;
    }
    if (frame.type !== "ack" && frame.type !== "message") {
      return this.#fail(`unknown frame type ${(frame as { type: string }).type}`);
    }
    if (frame.message.seq <= member.lastSeq) this.outOfOrder++;
    member.lastSeq = Math.max(member.lastSeq, frame.message.seq);
    if (frame.type === "ack") {
      const latency = this.ledger.recordAck(frame.message.clientId, member.index, now);
      if (latency === undefined) return;
      this.ackLatencies.push(latency);
      this.acks++;
      this.onSettle?.(member);
    } else if (this.ledger.recordRelay(frame.message.clientId, member.channel, member.index)) {
      this.deliveries++;
      // The first 12 base64 characters are the first 9 bytes: the timestamp and one more.
      const sentAt = Buffer.from(frame.message.payload.slice(0, 12), "base64").readDoubleLE(0);
      this.deliveryLatencies.push(now - sentAt);
      this.deliverySentAt.push(sentAt);
    }
  }

  #fail(description: string): void {
    this.errors++;
    if (this.errorSamples.length < ERROR_SAMPLES_KEPT) this.errorSamples.push(description);
  }
}
