/**
 * One channel's WebSocket, reconnecting on its own. Each (re)connect first asks
 * the API for a fresh socket ticket (tickets last 60 s and name one channel), so
 * a socket that drops an hour later still comes back. Two endings are final: the
 * session ended (close 4001: the page signs out) and the user lost the channel
 * (close 4003, or no ticket because the channel is gone: reconnecting cannot help).
 */
import ReconnectingWebSocket from "partysocket/ws";
import {
  CLOSE_ACCESS_REMOVED,
  CLOSE_SESSION_ENDED,
  SERVER_FRAME_TYPES,
  socketProtocols,
  unpackFrames,
  type ClientFrame,
  type ServerFrame,
  type SocketTicketView,
} from "../../../protocol/index.ts";
import { ApiError, describeError } from "./api-client.ts";
import type { Session } from "./session.ts";

/**
 * `online` only once the room has said welcome: frames sent before that could meet a room not yet listening.
 * `closed`: the user lost access; the socket stays shut.
 */
export type ConnectionStatus = "connecting" | "online" | "reconnecting" | "closed";

export interface ChannelSocketEvents {
  onFrame(frame: ServerFrame): void;
  onStatus(status: ConnectionStatus, problem: string | null): void;
  /** The user may no longer see this channel (kicked, banned, the channel deleted): `reason` in words. */
  onAccessRemoved(reason: string): void;
}

export interface ChannelSocket {
  /** False when not online: nothing is buffered, the caller resends on the next welcome. */
  send(frame: ClientFrame): boolean;
  close(): void;
}

const KNOWN_FRAME_TYPES = new Set<string>(SERVER_FRAME_TYPES);

const ACCESS_LOST = "you no longer have access to this channel";
const NOT_VISIBLE = "this channel does not exist, or you cannot see it";

export function openChannelSocket(channelId: string, session: Session, events: ChannelSocketEvents): ChannelSocket {
  let isOnline = false;
  let hasBeenOnline = false;
  let isClosed = false;
  let lastProblem: string | null = null;

  /** Final: no reconnect; the model shows why. */
  const endForGood = (reason: string) => {
    if (isClosed) return;
    isClosed = true;
    isOnline = false;
    socket.close(1000, "access removed");
    events.onStatus("closed", null);
    events.onAccessRemoved(reason);
  };

  const path = `/api/channels/${encodeURIComponent(channelId)}`;
  const socketUrl = (): string => {
    const url = new URL(`${path}/socket`, location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url.toString();
  };
  // A fresh single-use ticket for every attempt, offered as a subprotocol (never in the URL).
  const protocols = async (): Promise<string[]> => {
    try {
      const { ticket } = await session.request<SocketTicketView>(`${path}/socket-ticket`, { method: "POST" });
      return socketProtocols(ticket);
    } catch (caught) {
      // The ticket route answers 404 for a channel the user cannot see: asking again will not change that.
      if (caught instanceof ApiError && caught.status === 404) endForGood(hasBeenOnline ? ACCESS_LOST : NOT_VISIBLE);
      lastProblem = describeError(caught);
      throw caught;
    }
  };

  const socket = new ReconnectingWebSocket(socketUrl, protocols, {
    minReconnectionDelay: 1_000,
    maxReconnectionDelay: 15_000,
    connectionTimeout: 10_000,
    // Unacknowledged sends are the chat model's to resend; a second copy in here would go out twice.
    maxEnqueuedMessages: 0,
    shouldReconnectOnClose: (event) => event.code !== CLOSE_SESSION_ENDED && event.code !== CLOSE_ACCESS_REMOVED,
  });

  const setOffline = () => {
    isOnline = false;
    if (!isClosed) events.onStatus(hasBeenOnline ? "reconnecting" : "connecting", lastProblem);
  };

  socket.addEventListener("message", (event) => {
    const received = parseServerFrame(event.data);
    if (!received) return;
    for (const frame of unpackFrames(received)) {
      // A frame type from a newer server is skipped, in a batch as alone.
      if (!KNOWN_FRAME_TYPES.has(frame.type)) continue;
      if (frame.type === "welcome") {
        isOnline = true;
        hasBeenOnline = true;
        lastProblem = null;
        events.onStatus("online", null);
      }
      try {
        events.onFrame(frame);
      } catch (error) {
        // One frame's failure must not cost the rest of its batch; it is still reported.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  });
  socket.addEventListener("close", (event) => {
    if (event.code === CLOSE_SESSION_ENDED && !isClosed) {
      // Revocation and suspension reach an open page this way, at once.
      session.end(`this session has ended${event.reason ? ` (${event.reason})` : ""}: sign in again`);
      return;
    }
    if (event.code === CLOSE_ACCESS_REMOVED) return endForGood(ACCESS_LOST);
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
    return typeof type === "string" && KNOWN_FRAME_TYPES.has(type) ? (value as ServerFrame) : null;
  } catch {
    return null;
  }
}
