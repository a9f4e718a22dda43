/**
 * The account socket's connection: one per signed-in page, reconnecting on its
 * own with a fresh one-minute ticket each time. Close 4001 means the session
 * ended (signed out, revoked, suspended): the page signs out, no reconnect.
 */
import ReconnectingWebSocket from "partysocket/ws";
import {
  CLOSE_SESSION_ENDED,
  socketProtocols,
  type EventsClientFrame,
  type EventsServerFrame,
  type SocketTicketView,
} from "../../../protocol/index.ts";
import type { Session } from "./session.ts";

const KNOWN_FRAME_TYPES = new Set<string>([
  "hello",
  "presence",
  "activity",
  "activities",
  "read",
  "changed",
  "call",
  "error",
] satisfies EventsServerFrame["type"][]);

export interface EventsSocketEvents {
  /** A connection's first frame: who the user is and the status they chose. */
  onConnected(hello: Extract<EventsServerFrame, { type: "hello" }>): void;
  /** Every later frame (a batch of activity as its frames); a later `hello` tells of a status chosen (on this or another device). */
  onFrame(frame: Exclude<EventsServerFrame, { type: "activities" }>): void;
  onOffline(): void;
}

export interface EventsSocket {
  /** False when not connected: nothing is buffered. */
  send(frame: EventsClientFrame): boolean;
  /** Drops the connection and opens a new one (which subscribes afresh). */
  reconnect(): void;
  close(): void;
}

export function openEventsSocket(session: Session, events: EventsSocketEvents): EventsSocket {
  let isClosed = false;
  let isOnline = false;

  const socketUrl = (): string => {
    const url = new URL("/api/events/socket", location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url.toString();
  };
  // A fresh single-use ticket for every attempt, offered as a subprotocol (never in the URL).
  const protocols = async (): Promise<string[]> => {
    const { ticket } = await session.request<SocketTicketView>("/api/events/socket-ticket", { method: "POST" });
    return socketProtocols(ticket);
  };

  const socket = new ReconnectingWebSocket(socketUrl, protocols, {
    minReconnectionDelay: 1_000,
    maxReconnectionDelay: 30_000,
    connectionTimeout: 10_000,
    maxEnqueuedMessages: 0,
    shouldReconnectOnClose: (event) => event.code !== CLOSE_SESSION_ENDED,
  });

  const setOffline = () => {
    if (!isOnline) return;
    isOnline = false;
    if (!isClosed) events.onOffline();
  };

  socket.addEventListener("message", (event) => {
    const frame = parseFrame(event.data);
    if (!frame) return;
    if (frame.type === "hello" && !isOnline) {
      isOnline = true;
      return events.onConnected(frame);
    }
    // Several channels' activity gathered by a community's hub: each as its own frame.
    if (frame.type === "activities") for (const activity of frame.activities) events.onFrame(activity);
    else events.onFrame(frame);
  });
  socket.addEventListener("close", (event) => {
    setOffline();
    if (event.code === CLOSE_SESSION_ENDED && !isClosed) {
      session.end(`this session has ended${event.reason ? ` (${event.reason})` : ""}: sign in again`);
    }
  });
  socket.addEventListener("error", setOffline);

  return {
    send(frame) {
      return isOnline && socket.send(JSON.stringify(frame));
    },
    reconnect() {
      socket.reconnect(1000, "resubscribing");
    },
    close() {
      isClosed = true;
      isOnline = false;
      socket.close(1000, "signed out");
    },
  };
}

function parseFrame(data: unknown): EventsServerFrame | null {
  if (typeof data !== "string") return null;
  try {
    const value: unknown = JSON.parse(data);
    const type = (value as { type?: unknown } | null)?.type;
    return typeof type === "string" && KNOWN_FRAME_TYPES.has(type) ? (value as EventsServerFrame) : null;
  } catch {
    return null;
  }
}
