/**
 * The reference: the simplest broadcast server that speaks Chatalot's socket frames.
 * Rooms by URL path; each frame gets an ack to its sender and a relay to everyone
 * else in the room. No persistence, no validation, no auth: an upper bound for a
 * single Node process, run as a child so it has an event loop (and a core) of its own.
 * Prints `listening <port>` when ready.
 */
import { randomUUID } from "node:crypto";
import { WebSocket, WebSocketServer } from "ws";

interface Room {
  seq: number;
  sockets: Set<WebSocket>;
}

const rooms = new Map<string, Room>();
const server = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });

server.on("connection", (socket, request) => {
  const name = request.url ?? "/";
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = { seq: 0, sockets: new Set() }));
  const joined = room;
  joined.sockets.add(socket);
  const memberId = randomUUID();
  socket.send(JSON.stringify({ type: "welcome", channelId: name, userId: memberId }));

  socket.on("message", (data) => {
    let frame: { clientId?: string; payload?: string };
    try {
      frame = JSON.parse(String(data));
    } catch {
      return;
    }
    joined.seq += 1;
    // The same message shape Chatalot relays, so frames are about the same size.
    const message = {
      id: randomUUID(),
      channelId: name,
      seq: joined.seq,
      senderId: memberId,
      senderName: "reference",
      clientId: frame.clientId,
      payload: frame.payload,
      sentAt: new Date().toISOString(),
    };
    socket.send(JSON.stringify({ type: "ack", clientId: frame.clientId, message }));
    const relay = JSON.stringify({ type: "message", message });
    for (const other of joined.sockets) {
      if (other !== socket && other.readyState === WebSocket.OPEN) other.send(relay);
    }
  });
  socket.on("close", () => joined.sockets.delete(socket));
});

server.on("listening", () => {
  const address = server.address();
  if (typeof address === "object" && address) console.log(`listening ${address.port}`);
});

// The bench kills us by pid; also leave quietly if our parent goes away.
process.on("disconnect", () => process.exit(0));
