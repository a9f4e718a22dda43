// The least a workerd Durable Object room can be, for the idle and throughput scenarios:
// workerd's own cost per socket and per message, with nothing of Chatalot's on top. Sockets
// are accepted for hibernation with a small attachment (as partyserver gives Chatalot's),
// and each `send` frame gets an ack and a relay in the same shapes and sizes as
// reference-server.ts's. Like that server it stores nothing: no database, no storage, no
// checks, no accounts. Sequence numbers still only grow across an eviction: a room counts
// on from its wake time in microseconds (a room relays far fewer than 1,000 messages a ms).
// Plain JavaScript: workerd runs it as it is (see reference-room.capnp).
import { DurableObject } from "cloudflare:workers";

export class ReferenceRoom extends DurableObject {
  async fetch(request) {
    const sockets = this.#sockets(); // listed before this one joins
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    sockets.add(server);
    server.serializeAttachment({ id: crypto.randomUUID(), channelId: new URL(request.url).pathname });
    server.send(JSON.stringify({ type: "welcome" }));
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(socket, data) {
    const frame = JSON.parse(data);
    this.seq ??= Date.now() * 1000;
    const seq = ++this.seq;
    const { id: senderId, channelId } = this.#member(socket);
    const message = {
      id: crypto.randomUUID(),
      channelId,
      seq,
      senderId,
      senderName: "reference",
      clientId: frame.clientId,
      payload: frame.payload,
      sentAt: new Date().toISOString(),
    };
    socket.send(JSON.stringify({ type: "ack", clientId: frame.clientId, message }));
    const relay = JSON.stringify({ type: "message", message });
    for (const other of this.#sockets()) if (other !== socket) other.send(relay);
  }

  webSocketClose(socket) {
    this.#sockets().delete(socket);
    socket.close(1000);
  }

  /** A socket's attachment, read once per wake. */
  #member(socket) {
    this.members ??= new WeakMap();
    let member = this.members.get(socket);
    if (!member) this.members.set(socket, (member = socket.deserializeAttachment()));
    return member;
  }

  /** The room's sockets, listed once per wake (as Chatalot's rooms keep theirs). */
  #sockets() {
    this.sockets ??= new Set(this.ctx.getWebSockets());
    return this.sockets;
  }
}

export default {
  // One room per URL path, as reference-server.ts does.
  fetch: (request, env) => env.ROOM.getByName(new URL(request.url).pathname).fetch(request),
};
