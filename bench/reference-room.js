// The idle scenario's reference: the least a workerd Durable Object room can be. Sockets
// are accepted for hibernation with a small attachment (as partyserver gives Chatalot's),
// and each `send` frame gets an ack and a relay in Chatalot's frame shapes, numbered from
// storage so sequence numbers survive eviction. No database, no checks, no accounts.
// Plain JavaScript: workerd runs it as it is (see reference-room.capnp).
import { DurableObject } from "cloudflare:workers";

export class ReferenceRoom extends DurableObject {
  async fetch() {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ id: crypto.randomUUID() });
    server.send(JSON.stringify({ type: "welcome" }));
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(socket, data) {
    const frame = JSON.parse(data);
    const seq = ((await this.ctx.storage.get("seq")) ?? 0) + 1;
    await this.ctx.storage.put("seq", seq);
    const message = { seq, clientId: frame.clientId, payload: frame.payload };
    socket.send(JSON.stringify({ type: "ack", clientId: frame.clientId, message }));
    const relay = JSON.stringify({ type: "message", message });
    for (const other of this.ctx.getWebSockets()) if (other !== socket) other.send(relay);
  }

  webSocketClose(socket) {
    socket.close(1000);
  }
}

export default {
  // One room per URL path, as reference-server.ts does.
  fetch: (request, env) => env.ROOM.getByName(new URL(request.url).pathname).fetch(request),
};
