/**
 * One channel's WebSocket, reconnecting on its own. Each (re)connect first asks
 * the API for a fresh socket ticket (tickets last 60 s and name one channel), so
 * a socket that drops an hour later still comes back.
 */
import ReconnectingWebSocket from "partysocket/ws";
import type { ClientFrame, ServerFrame, SocketTicketView } from "../../../protocol/index.ts";
import { describeError } from "./api-client.ts";
import type { Session } from "./session.ts";

/**
 * The server closes a socket with this code when its session was revoked or its
 * user suspended: the page is signed out, not reconnected.
 */
export const CLOSE_SESSION_ENDED = 4001;

/** `online` only once the room has said welcome: frames sent before that could meet a room not yet listening. */
export type ConnectionStatus = "connecting" | "online" | "reconnecting";

export interface ChannelSocketEvents {
  onFrame(frame: ServerFrame): void;
  onStatus(status: ConnectionStatus, problem: string | null): void;
}

export interface ChannelSocket {
  /** False when not online: nothing is buffered, the caller resends on the next welcome. */
  send(frame: ClientFrame): boolean;
  close(): void;
}

const SERVER_FRAME_TYPES = new Set<string>(["welcome", "ack", "message", "error"] satisfies ServerFrame["type"][]);

export function openChannelSocket(channelId: string, session: Session, events: ChannelSocketEvents): ChannelSocket {
  let isOnline = false;
  let hasBeenOnline = false;
  let isClosed = false;
  let lastProblem: string | null = null;

  const socketUrl = async (): Promise<string> => {
    try {
      const path = `/api/channels/${encodeURIComponent(channelId)}`;
      const { ticket } = await session.request<SocketTicketView>(`${path}/socket-ticket`, { method: "POST" });
      const url = new URL(`${path}/socket`, location.href);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      url.searchParams.set("ticket", ticket);
      return url.toString();
    } catch (caught) {
      lastProblem = describeError(caught);
      throw caught;
    }
  };

  const socket = new ReconnectingWebSocket(socketUrl, undefined, {
    minReconnectionDelay: 1_000,
    maxReconnectionDelay: 15_000,
    connectionTimeout: 10_000,
    // Unacknowledged sends are the chat model's to resend; a second copy in here would go out twice.
    maxEnqueuedMessages: 0,
    shouldReconnectOnClose: (event) => event.code !== CLOSE_SESSION_ENDED,
  });

  const setOffline = () => {
    isOnline = false;
    if (!isClosed) events.onStatus(hasBeenOnline ? "reconnecting" : "connecting", lastProblem);
  };

  socket.addEventListener("message", (event) => {
    const frame = parseServerFrame(event.data);
    if (!frame) return;
    if (frame.type === "welcome") {
      isOnline = true;
      hasBeenOnline = true;
      lastProblem = null;
      events.onStatus("online", null);
    }
    events.onFrame(frame);
  });
  socket.addEventListener("close", (event) => {
    if (event.code === CLOSE_SESSION_ENDED && !isClosed) {
      // Revocation and suspension reach an open page this way, at once.
      session.end(`this session has ended${event.reason ? ` (${event.reason})` : ""}: sign in again`);
      return;
    }
    setOffline();
  });
  socket.addEventListener("error", setOffline);

  return {
    send(frame) {
      if (!isOnline) return false;
      return socket.send(JSON.stringify(frame));
    },
    close() {
      isClosed = true;
      isOnline = false;
      socket.close(1000, "left the channel");
    },
  };
}

/** Our own server's frames; anything else (or a newer server's new frame type) is ignored. */
function parseServerFrame(data: unknown): ServerFrame | null {
  if (typeof data !== "string") return null;
  try {
    const value: unknown = JSON.parse(data);
    const type = (value as { type?: unknown } | null)?.type;
    return typeof type === "string" && SERVER_FRAME_TYPES.has(type) ? (value as ServerFrame) : null;
  } catch {
    return null;
  }
}
