/**
 * The attacker of the end-to-end encryption tests: a proxy in front of the real server
 * that the clients talk to instead, and that a test turns into a liar. It forwards
 * every request and socket unchanged until told otherwise; then it rewrites JSON
 * answers, rewrites or drops socket frames, and injects frames of its own. The real
 * server behind it (and its database) stays honest, so what a test proves is what a
 * client does when the server in front of it lies: the outer edge, faked, nothing else.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import { SOCKET_PROTOCOL, unpackFrames, type ServerFrame } from "../../protocol/index.ts";
import type { RunningServer } from "./server.ts";

export interface ProxiedRequest {
  method: string;
  /** The path with its query string. */
  path: string;
  /** The JSON body the client sent, if any. */
  body: unknown;
}

/** A rule returns the body to answer instead, or undefined to pass the real one on. */
export type ResponseLie = (request: ProxiedRequest, status: number, body: any) => unknown;
/** A rule returns the frames to deliver instead (none drops it), or undefined to pass it on. */
export type FrameLie = (socketPath: string, frame: ServerFrame) => ServerFrame[] | undefined;

export interface LyingServer {
  /** What the clients use as their server: same shape as the real one's, another address. */
  readonly url: string;
  readonly port: number;
  /** Lies in the order they were told; the first that answers wins. */
  readonly responseLies: ResponseLie[];
  readonly frameLies: FrameLie[];
  /** Every request the clients sent through it (bodies included), for what reached the attacker. */
  readonly requests: ProxiedRequest[];
  /** Every frame the real server sent through it. */
  readonly frames: ServerFrame[];
  /** Sends `frame` to every open socket whose path starts with `socketPath`. */
  inject(socketPath: string, frame: ServerFrame): number;
  /** Back to an honest relay. */
  tellTheTruth(): void;
  stop(): Promise<void>;
}

const HOP_HEADERS = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive", "upgrade"]);

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts the proxy in front of `real`, as a server the clients can be pointed at. */
export async function startLyingServer(real: RunningServer | { url: string }): Promise<LyingServer & RunningServer> {
  const responseLies: ResponseLie[] = [];
  const frameLies: FrameLie[] = [];
  const requests: ProxiedRequest[] = [];
  const frames: ServerFrame[] = [];
  const sockets = new Set<{ path: string; socket: WebSocket }>();

  const server: Server = createServer((request, response) => {
    void (async () => {
      const raw = await readBody(request);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (!HOP_HEADERS.has(name) && typeof value === "string") headers[name] = value;
      }
      const text = raw.toString("utf8");
      let body: unknown = undefined;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const proxied: ProxiedRequest = { method: request.method ?? "GET", path: request.url ?? "/", body };
      requests.push(proxied);
      const answer = await fetch(`${real.url}${proxied.path}`, {
        method: proxied.method,
        headers,
        body: raw.length > 0 ? new Uint8Array(raw) : undefined,
        redirect: "manual",
      });
      let payload = Buffer.from(await answer.arrayBuffer());
      const isJson = answer.headers.get("content-type")?.includes("application/json") ?? false;
      if (isJson && responseLies.length > 0) {
        const parsed = JSON.parse(payload.toString("utf8")) as unknown;
        for (const lie of responseLies) {
          const told = lie(proxied, answer.status, structuredClone(parsed));
          if (told !== undefined) {
            payload = Buffer.from(JSON.stringify(told));
            break;
          }
        }
      }
      const out: Record<string, string | string[]> = {};
      answer.headers.forEach((value, name) => {
        if (!HOP_HEADERS.has(name) && name !== "content-encoding" && name !== "set-cookie") out[name] = value;
      });
      const cookies = answer.headers.getSetCookie();
      if (cookies.length > 0) out["set-cookie"] = cookies;
      response.writeHead(answer.status, out);
      response.end(payload);
    })().catch((error: unknown) => {
      response.writeHead(502, { "content-type": "text/plain" });
      response.end(String(error));
    });
  });

  const upgrades = new WebSocketServer({
    noServer: true,
    // The real server chose the same protocol: the ticket travels as a second one.
    handleProtocols: (protocols) => (protocols.has(SOCKET_PROTOCOL) ? SOCKET_PROTOCOL : false),
  });
  server.on("upgrade", (request, socket, head) => {
    const path = request.url ?? "/";
    const protocols = String(request.headers["sec-websocket-protocol"] ?? "")
      .split(",")
      .map((value) => value.trim())
      .filter(Boolean);
    const upstream = new WebSocket(`${real.url.replace("http", "ws")}${path}`, protocols);
    upstream.once("error", () => socket.destroy());
    upstream.once("unexpected-response", () => socket.destroy());
    upstream.once("open", () => {
      upgrades.handleUpgrade(request, socket, head, (client) => {
        const entry = { path, socket: client };
        sockets.add(entry);
        upstream.on("message", (data) => {
          const sent = JSON.parse(String(data)) as ServerFrame;
          const delivered: ServerFrame[] = [];
          let isRewritten = false;
          for (const frame of unpackFrames(sent)) {
            frames.push(frame);
            let told: ServerFrame[] | undefined;
            for (const lie of frameLies) {
              told = lie(path, frame);
              if (told !== undefined) break;
            }
            if (told !== undefined) isRewritten = true;
            delivered.push(...(told ?? [frame]));
          }
          if (!isRewritten) return client.send(String(data));
          for (const frame of delivered) client.send(JSON.stringify(frame));
        });
        client.on("message", (data) => upstream.readyState === WebSocket.OPEN && upstream.send(String(data)));
        upstream.on("close", (code, reason) => client.close(code === 1005 ? 1000 : code, reason));
        client.on("close", () => {
          sockets.delete(entry);
          upstream.close();
        });
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    responseLies,
    frameLies,
    requests,
    frames,
    inject(socketPath, frame) {
      let sent = 0;
      for (const entry of sockets) {
        if (!entry.path.startsWith(socketPath) || entry.socket.readyState !== WebSocket.OPEN) continue;
        entry.socket.send(JSON.stringify(frame));
        sent++;
      }
      return sent;
    },
    tellTheTruth() {
      responseLies.length = 0;
      frameLies.length = 0;
    },
    // The shape of a RunningServer, so test support that takes one takes the liar too.
    process: (real as RunningServer).process,
    output: () => (real as RunningServer).output?.() ?? "",
    exited: (real as RunningServer).exited ?? new Promise(() => undefined),
    async stop() {
      for (const entry of sockets) entry.socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
