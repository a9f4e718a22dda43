/**
 * A client behind a TLS reverse proxy, for the proxy recipe tests (nginx-proxy, caddy-proxy):
 * HTTPS requests and channel sockets (wss) to https://localhost:<port>, sent from
 * CLIENT_ADDRESS and trusting only the proxy's certificate authority. The proxy reaches the
 * server from 127.0.0.1, so the address the server records tells whose it believed.
 */
import type { IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import WebSocket from "ws";
import { socketProtocols, unpackFrames, type ServerFrame } from "../../protocol/index.ts";
import { within } from "./accounts.ts";

/** Where the client connects from: any 127/8 address is this machine's loopback too. */
export const CLIENT_ADDRESS = "127.0.0.2";

export interface ProxyEndpoint {
  /** The proxy's TLS port on 127.0.0.1, named https://localhost:<port> (the server's PUBLIC_URL). */
  tlsPort: number;
  /** The certificate (or its authority) the proxy presents for localhost. */
  ca: Buffer;
}

export interface ProxiedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The parsed body, when it arrived as JSON without a Content-Encoding. */
  json: any;
}

/** One HTTPS request through the proxy, from CLIENT_ADDRESS. */
export function through(
  proxy: ProxyEndpoint,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; body?: Uint8Array; headers?: Record<string, string> } = {},
): Promise<ProxiedResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: Uint8Array | undefined = options.body;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = Buffer.from(JSON.stringify(options.json));
  }
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: "localhost",
        port: proxy.tlsPort,
        family: 4,
        localAddress: CLIENT_ADDRESS,
        ca: proxy.ca,
        method,
        path,
        headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const bytes = Buffer.concat(chunks);
          let json: unknown;
          try {
            json = response.headers["content-encoding"] ? undefined : JSON.parse(bytes.toString("utf8"));
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: bytes, json });
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** A channel socket through the proxy (wss), as the browser opens it: a ticket, then the upgrade. */
export async function openSocket(proxy: ProxyEndpoint, token: string, channelId: string): Promise<WebSocket> {
  const ticket = await through(proxy, "POST", `/api/channels/${channelId}/socket-ticket`, { token });
  if (ticket.status !== 200) throw new Error(`socket ticket: ${ticket.status} ${ticket.body.toString()}`);
  const socket = new WebSocket(
    `wss://localhost:${proxy.tlsPort}/api/channels/${channelId}/socket`,
    socketProtocols(ticket.json.ticket),
    { ca: proxy.ca, localAddress: CLIENT_ADDRESS, family: 4, origin: `https://localhost:${proxy.tlsPort}` },
  );
  await within(
    new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.on("message", (data) => {
        if (unpackFrames(JSON.parse(String(data)) as ServerFrame).some((frame) => frame.type === "welcome")) resolve();
      });
    }),
    10_000,
    "the socket's welcome through the proxy",
  );
  return socket;
}

/** The next frame of this type on the socket. */
export const nextFrame = (socket: WebSocket, type: ServerFrame["type"]) =>
  within(
    new Promise<ServerFrame>((resolve) => {
      const listener = (data: WebSocket.RawData) => {
        const frame = unpackFrames(JSON.parse(String(data)) as ServerFrame).find(
          (candidate) => candidate.type === type,
        );
        if (!frame) return;
        socket.off("message", listener);
        resolve(frame);
      };
      socket.on("message", listener);
    }),
    10_000,
    `a ${type} frame`,
  );

/**
 * alice and bob, registered already, sign in through the proxy; alice makes a community and
 * invites bob. The answers come back for the test to judge, with #general's id.
 */
export async function sharedChannelThrough(proxy: ProxyEndpoint, password: string, communityName: string) {
  const signIn = async (username: string): Promise<string> =>
    (await through(proxy, "POST", "/api/auth/login", { json: { username, password } })).json.accessToken;
  const [alice, bob] = [await signIn("alice"), await signIn("bob")];
  const created = await through(proxy, "POST", "/api/communities", { token: alice, json: { name: communityName } });
  const communityId = created.json.community.id;
  const invite = await through(proxy, "POST", `/api/communities/${communityId}/invites`, { token: alice, json: {} });
  const joined = await through(proxy, "POST", "/api/community-invites/accept", {
    token: bob,
    json: { code: invite.json.code },
  });
  const channels = await through(proxy, "GET", `/api/communities/${communityId}/channels`, { token: alice });
  const channelId: string = channels.json.channels.find((channel: { name: string }) => channel.name === "general").id;
  return { alice, bob, channelId, created, joined };
}

/** alice sends `payload` on her socket; bob's socket's next message frame, both through the proxy. */
export async function relayThrough(proxy: ProxyEndpoint, tokens: [string, string], channelId: string, payload: string) {
  const [aliceSocket, bobSocket] = [
    await openSocket(proxy, tokens[0], channelId),
    await openSocket(proxy, tokens[1], channelId),
  ];
  try {
    const received = nextFrame(bobSocket, "message");
    aliceSocket.send(JSON.stringify({ type: "send", clientId: `through-${Date.now()}`, payload }));
    return await received;
  } finally {
    aliceSocket.close();
    bobSocket.close();
  }
}

/** The address the server recorded for a sign-in through the proxy whose client forges X-Forwarded-For. */
export async function recordedAddress(
  proxy: ProxyEndpoint,
  username: string,
  password: string,
  forged: string,
): Promise<string> {
  const signedIn = await through(proxy, "POST", "/api/auth/login", {
    json: { username, password },
    headers: { "X-Forwarded-For": forged },
  });
  if (signedIn.status !== 200) throw new Error(`sign-in: ${signedIn.status} ${signedIn.body.toString()}`);
  const sessions = await through(proxy, "GET", "/api/sessions", { token: signedIn.json.accessToken });
  return sessions.json.sessions.find((row: { isCurrent: boolean }) => row.isCurrent).ip;
}
