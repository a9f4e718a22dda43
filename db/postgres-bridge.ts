/**
 * The PostgreSQL bridge: a WebSocket-to-TCP pipe for the `@neondatabase/serverless`
 * driver, which speaks the Postgres wire protocol over a WebSocket. It runs inside
 * the same workerd as the app (reached through a service binding, never exposed),
 * so the app needs no network access and PostgreSQL needs no extra proxy container.
 */
import { connect } from "cloudflare:sockets";
import { WorkerEntrypoint } from "cloudflare:workers";

interface BridgeEnv {
  DATABASE_URL: string;
}

/** Postgres' Terminate message: 'X' then the int32 length 4. */
const TERMINATE = [0x58, 0, 0, 0, 4];

export class PostgresBridge extends WorkerEntrypoint<BridgeEnv> {
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 426 });
    }
    // The driver asks for a host; we ignore it and always dial the configured
    // database, so the bridge cannot be turned into a general TCP proxy.
    const target = new URL(this.env.DATABASE_URL);
    const socket = connect({ hostname: target.hostname, port: Number(target.port || 5432) });
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    // Without this, binary frames arrive as Blobs (workerd's default).
    server.binaryType = "arraybuffer";
    server.accept();
    pipe(server, socket);
    return new Response(null, { status: 101, webSocket: client });
  }
}

function pipe(webSocket: WebSocket, socket: Socket): void {
  const writer = socket.writable.getWriter();
  let isClosed = false;
  const closeBoth = () => {
    if (isClosed) return;
    isClosed = true;
    writer.close().catch(() => {});
    socket.close().catch(() => {});
    try {
      webSocket.close(1000, "closed");
    } catch {
      // already closed by the peer
    }
  };

  webSocket.addEventListener("message", (event) => {
    const bytes = typeof event.data === "string" ? new TextEncoder().encode(event.data) : new Uint8Array(event.data);
    writer.write(bytes).catch(closeBoth);
    // Pooled connections end with Terminate; close both sides or they leak.
    if (isTerminate(bytes)) closeBoth();
  });
  webSocket.addEventListener("close", closeBoth);
  webSocket.addEventListener("error", closeBoth);

  socket.readable
    .pipeTo(
      new WritableStream({
        write(chunk: Uint8Array) {
          if (!isClosed) webSocket.send(chunk);
        },
      }),
    )
    .catch(() => {})
    .finally(closeBoth);
}

function isTerminate(bytes: Uint8Array): boolean {
  if (bytes.length < TERMINATE.length) return false;
  const tail = bytes.subarray(bytes.length - TERMINATE.length);
  return TERMINATE.every((value, index) => tail[index] === value);
}
