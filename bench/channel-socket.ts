/**
 * One channel socket for scenarios that follow each frame themselves (catch-up):
 * open() resolves on the welcome frame with the channel's position; every later
 * frame goes to `onFrame`. Unlike LoadSession it keeps no ledger.
 */
import { WebSocket } from "ws";
import type { Dial } from "./target.ts";

const WELCOME_TIMEOUT_MS = 30_000;

export interface MessageFields {
  seq: number;
  event: number;
  clientId: string;
}

export type ServerFrame =
  | { type: "welcome"; lastSeq: number; lastEvent: number }
  | { type: "ack"; clientId: string; message: MessageFields }
  | { type: "message"; message: MessageFields }
  | { type: "sync"; messages: MessageFields[] }
  /** `hasMore`: the resume stopped at the server's bound (1,000 messages); resume again from `lastEvent`. */
  | { type: "synced"; lastEvent: number; hasMore?: boolean }
  | { type: "error"; code: string; message: string; clientId?: string }
  /** Several frames at once, in order (protocol/socket.ts). */
  | { type: "frames"; frames: ServerFrame[] }
  | { type: "other" };

export class ChannelSocket {
  onFrame: (frame: ServerFrame) => void = () => {};
  /** Called once when the socket closes, whoever closed it. */
  onClose: (code: number) => void = () => {};
  readonly welcome: { lastSeq: number; lastEvent: number };
  readonly #socket: WebSocket;

  private constructor(socket: WebSocket, welcome: { lastSeq: number; lastEvent: number }) {
    this.#socket = socket;
    this.welcome = welcome;
  }

  static open(dial: Dial): Promise<ChannelSocket> {
    const socket = new WebSocket(dial.url, dial.protocols ?? [], { perMessageDeflate: false, headers: dial.headers });
    return new Promise((resolve, reject) => {
      let opened: ChannelSocket | undefined;
      const timer = setTimeout(
        () => reject(new Error(`no welcome within ${WELCOME_TIMEOUT_MS} ms`)),
        WELCOME_TIMEOUT_MS,
      );
      socket.on("message", (data) => {
        const frame = JSON.parse(String(data)) as ServerFrame;
        if (opened) {
          for (const each of frame.type === "frames" ? frame.frames : [frame]) opened.onFrame(each);
          return;
        }
        // A welcome always comes alone, never in a batch (rooms/channel-room.ts).
        if (frame.type !== "welcome")
          return reject(new Error(`expected a welcome frame, got ${String(data).slice(0, 200)}`));
        clearTimeout(timer);
        opened = new ChannelSocket(socket, { lastSeq: frame.lastSeq, lastEvent: frame.lastEvent });
        resolve(opened);
      });
      socket.on("error", (error) => reject(error));
      socket.on("close", (code, reason) => {
        clearTimeout(timer);
        if (opened) opened.onClose(code);
        else reject(new Error(`the socket closed before its welcome: ${code} ${String(reason)}`));
      });
    });
  }

  send(frame: object): void {
    this.#socket.send(JSON.stringify(frame));
  }

  get isOpen(): boolean {
    return this.#socket.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.#socket.close(1000);
  }
}
