/**
 * Node-side helpers for the account tests against the production server: JSON calls
 * over real sockets (optionally as a client behind a trusted proxy), the refresh
 * cookie, channel sockets, and TOTP codes from Debian's oathtool, an implementation
 * independent of the server's otplib.
 */
import { execFileSync } from "node:child_process";
import WebSocket from "ws";
import type { RunningServer } from "./server.ts";
import { socketProtocols } from "../../protocol/index.ts";

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
  /** The refresh cookie this response set, as a Cookie header value ("" if none). */
  cookie: string;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  token?: string;
  cookie?: string;
  /** Sent as X-Forwarded-For: believed only when the server trusts 127.0.0.1 as a proxy. */
  forwardedFor?: string;
  headers?: Record<string, string>;
}

export async function call<T = any>(
  server: RunningServer,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.cookie) {
    headers.Cookie = options.cookie;
    headers["X-Chatalot-CSRF"] = "1";
  }
  if (options.forwardedFor) headers["X-Forwarded-For"] = options.forwardedFor;
  const response = await fetch(`${server.url}${path}`, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: any = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const setCookie = response.headers.getSetCookie().find((value) => value.startsWith("chatalot_refresh="));
  return {
    status: response.status,
    body,
    text,
    headers: response.headers,
    cookie: setCookie ? setCookie.split(";")[0]! : "",
  };
}

export interface Account {
  id: string;
  username: string;
  password: string;
  token: string;
  sessionId: string;
  cookie: string;
  recoveryCode: string;
  isAdmin: boolean;
}

export async function registerOn(
  server: RunningServer,
  username: string,
  password: string,
  extra: { inviteCode?: string; forwardedFor?: string } = {},
): Promise<Account> {
  const response = await call(server, "/api/auth/register", {
    body: { username, password, ...(extra.inviteCode ? { inviteCode: extra.inviteCode } : {}) },
    forwardedFor: extra.forwardedFor,
  });
  if (response.status !== 201) throw new Error(`registering ${username}: ${response.status} ${response.text}`);
  return accountFrom(response, password);
}

export async function signInOn(
  server: RunningServer,
  username: string,
  password: string,
  extra: { totpCode?: string; backupCode?: string; forwardedFor?: string; headers?: Record<string, string> } = {},
): Promise<Account> {
  const { forwardedFor, headers, ...codes } = extra;
  const response = await call(server, "/api/auth/login", {
    body: { username, password, ...codes },
    forwardedFor,
    headers,
  });
  if (response.status !== 200) throw new Error(`signing in ${username}: ${response.status} ${response.text}`);
  return accountFrom(response, password);
}

function accountFrom(response: ApiResponse, password: string): Account {
  const { user, accessToken, sessionId, recoveryCode } = response.body;
  return {
    id: user.id,
    username: user.username,
    password,
    token: accessToken,
    sessionId,
    cookie: response.cookie,
    recoveryCode: recoveryCode ?? "",
    isAdmin: user.isAdmin,
  };
}

/** A TOTP code from oathtool for the given moment (default now). Fails loudly when oathtool is missing. */
export function oathtool(secret: string, at: Date = new Date()): string {
  try {
    return execFileSync("oathtool", ["--totp", "-b", "-N", `@${Math.floor(at.getTime() / 1000)}`, secret], {
      encoding: "utf8",
    }).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(
        "oathtool is not installed: these tests need it as an independent TOTP implementation. Run `apt-get install oathtool`.",
      );
    }
    throw error;
  }
}

/** A channel socket opened through the real upgrade route, with its close event. */
export async function openChannelSocket(
  server: RunningServer,
  account: Account,
  channelId: string,
): Promise<{ socket: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const ticket = await call(server, `/api/channels/${channelId}/socket-ticket`, {
    method: "POST",
    token: account.token,
  });
  if (ticket.status !== 200) throw new Error(`socket ticket: ${ticket.status} ${ticket.text}`);
  const socket = new WebSocket(
    `${server.url.replace("http", "ws")}/api/channels/${channelId}/socket`,
    socketProtocols(ticket.body.ticket),
  );
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  // When the server closes a socket, ws answers its close frame at once and then waits for
  // the server to drop the TCP connection, which workerd does only ~10 s later. The close
  // frame is what ends the session for the client: once it has arrived (the socket is
  // CLOSING without our asking), drop the connection; the close event still reports the
  // server's code and reason.
  const watcher = setInterval(() => {
    if (socket.readyState === WebSocket.CLOSING) socket.terminate();
    if (socket.readyState === WebSocket.CLOSING || socket.readyState === WebSocket.CLOSED) clearInterval(watcher);
  }, 20);
  socket.once("close", () => clearInterval(watcher));
  const welcomed = new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    // Refused after the upgrade (a socket cap, an ended session): no welcome will come.
    void closed.then(({ code, reason }) => reject(new Error(`closed before its welcome: ${code} ${reason}`)));
    socket.on("message", (data) => {
      if (JSON.parse(String(data)).type === "welcome") resolve();
    });
  });
  await welcomed;
  return { socket, closed };
}

export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms),
    ),
  ]);
}

/**
 * A new community of `owner`'s (who must be allowed to create one: the admin always
 * is) that each of `members` joins by invite; returns its #general channel's id.
 */
export async function generalChannel(
  server: RunningServer,
  owner: { token: string },
  members: { token: string }[] = [],
  options: { forwardedFor?: string } = {},
): Promise<string> {
  const created = await call(server, "/api/communities", { ...options, token: owner.token, body: { name: "Town" } });
  if (created.status !== 201) throw new Error(`create community: ${created.status} ${created.text}`);
  const communityId = created.body.community.id as string;
  if (members.length > 0) {
    const invite = await call(server, `/api/communities/${communityId}/invites`, {
      ...options,
      token: owner.token,
      body: {},
    });
    for (const member of members) {
      const joined = await call(server, "/api/community-invites/accept", {
        token: member.token,
        body: { code: invite.body.code },
      });
      if (joined.status !== 200) throw new Error(`join community: ${joined.status} ${joined.text}`);
    }
  }
  const channels = await call(server, `/api/communities/${communityId}/channels`, { ...options, token: owner.token });
  return channels.body.channels.find((channel: { name: string }) => channel.name === "general").id;
}

/** `owner` creates a community named `name` and each of `members` joins it by an invite; fails on any refusal. */
export async function createCommunityWith(
  server: RunningServer,
  owner: Account,
  name: string,
  members: Account[],
): Promise<void> {
  const created = await call(server, "/api/communities", { token: owner.token, body: { name } });
  if (created.status !== 201) throw new Error(`creating ${name}: ${created.status} ${created.text}`);
  const invite = await call(server, `/api/communities/${created.body.community.id}/invites`, {
    token: owner.token,
    body: {},
  });
  if (invite.status >= 300) throw new Error(`inviting to ${name}: ${invite.status} ${invite.text}`);
  for (const member of members) {
    const joined = await call(server, "/api/community-invites/accept", {
      token: member.token,
      body: { code: invite.body.code },
    });
    if (joined.status !== 200) throw new Error(`joining ${name}: ${joined.status} ${joined.text}`);
  }
}
