/**
 * Named fixtures for tests that run inside workerd: people who register through
 * the real API, and sockets opened through the real upgrade route. The database
 * is shared by the whole run, so every name gets a unique suffix.
 */
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { app } from "../../functions/app.ts";
import {
  socketProtocols,
  unpackFrames,
  type ChannelView,
  type CommunityView,
  type ServerFrame,
  type SessionView,
} from "../../protocol/index.ts";

export const unique = (name: string) => `${name}_${crypto.randomUUID().slice(0, 8)}`;

export const PASSWORD = "correct horse battery staple";

/**
 * Calls the app in-process. Without a socket there is no workerd client address,
 * so the platform header stands in for it; each call gets a fresh address unless
 * the test names one.
 */
export function request(path: string, init: RequestInit = {}, bindings: object = env): Promise<Response> {
  const headers = new Headers(init.headers);
  // Limits count IPv6 by /64, so vary the network part, not only the host part.
  const group = () => crypto.randomUUID().slice(0, 4);
  if (!headers.has("CF-Connecting-IP")) headers.set("CF-Connecting-IP", `2001:db8:${group()}:${group()}::1`);
  return Promise.resolve(app.request(path, { ...init, headers }, bindings));
}

export function json(method: string, body: unknown, token?: string): RequestInit {
  return {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  };
}

export interface Person extends SessionView {
  token: string;
  recoveryCode: string;
  /** The refresh cookie as a Cookie header value. */
  cookie: string;
}

export function refreshCookieOf(response: Response): string {
  const setCookie = response.headers.getSetCookie().find((value) => value.startsWith("chatalot_refresh="));
  return setCookie ? setCookie.split(";")[0]! : "";
}

export async function register(name: string, bindings: object = env): Promise<Person> {
  const response = await request("/api/auth/register", json("POST", { username: name, password: PASSWORD }), bindings);
  expect(response.status, await response.clone().text()).toBe(201);
  const session = (await response.json()) as SessionView & { recoveryCode: string };
  return { ...session, token: session.accessToken, cookie: refreshCookieOf(response) };
}

/** Calls the API as `person`, with a JSON body when one is given. */
export function as(person: Person, method: string, path: string, body?: unknown): Promise<Response> {
  return request(
    path,
    body === undefined
      ? { method, headers: { Authorization: `Bearer ${person.token}` } }
      : json(method, body, person.token),
  );
}

export async function expectStatus(response: Response, status: number): Promise<Response> {
  expect(response.status, await response.clone().text()).toBe(status);
  return response;
}

export const errorCode = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;

/** A new community owned by `owner`, with `members` joined through an invite. */
export async function createCommunity(owner: Person, ...members: Person[]): Promise<CommunityView> {
  const created = await expectStatus(await as(owner, "POST", "/api/communities", { name: unique("Community") }), 201);
  const community = ((await created.json()) as { community: CommunityView }).community;
  if (members.length > 0) {
    const invite = await expectStatus(await as(owner, "POST", `/api/communities/${community.id}/invites`, {}), 201);
    const { code } = (await invite.json()) as { code: string };
    for (const member of members) {
      await expectStatus(await as(member, "POST", "/api/community-invites/accept", { code }), 200);
    }
  }
  return community;
}

/** A new text channel in `community` (or in a new community of `owner`'s that `members` join). */
export async function createChannel(owner: Person, ...members: Person[]): Promise<ChannelView> {
  const community = await createCommunity(owner, ...members);
  return createChannelIn(owner, community.id);
}

export async function createChannelIn(
  person: Person,
  communityId: string,
  options: Record<string, unknown> = {},
): Promise<ChannelView> {
  const name = unique("room").replace(/_/g, "-").toLowerCase();
  const response = await as(person, "POST", `/api/communities/${communityId}/channels`, { name, ...options });
  await expectStatus(response, 201);
  return ((await response.json()) as { channel: ChannelView }).channel;
}

/** A client socket with a queue of received frames (`frames` batches unpacked). */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  /** Every WebSocket message as it came, batches whole. */
  readonly received: ServerFrame[] = [];
  #waiters: (() => void)[] = [];
  #closeCode: number | null = null;
  #closeWaiters: ((code: number) => void)[] = [];

  readonly socket: WebSocket;
  constructor(socket: WebSocket) {
    this.socket = socket;
    socket.accept();
    socket.addEventListener("close", (event) => {
      this.#closeCode = event.code;
      this.#closeWaiters.splice(0).forEach((wake) => wake(event.code));
    });
    socket.addEventListener("message", (event) => {
      const frame = JSON.parse(event.data as string) as ServerFrame;
      this.received.push(frame);
      this.frames.push(...unpackFrames(frame));
      this.#waiters.splice(0).forEach((wake) => wake());
    });
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Waits for the next frame matching `predicate`, removing it and everything before it. */
  async next<T extends ServerFrame["type"]>(
    type: T,
    predicate: (frame: Extract<ServerFrame, { type: T }>) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(
        (frame) => frame.type === type && predicate(frame as Extract<ServerFrame, { type: T }>),
      );
      if (index >= 0) return this.frames.splice(0, index + 1).pop() as Extract<ServerFrame, { type: T }>;
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new Error(`no ${type} frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket.close(1000, "done");
  }

  /** Resolves with the close code once the server closes the socket. */
  closed(timeoutMs = 5_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
      if (this.#closeCode !== null) {
        clearTimeout(timer);
        return resolve(this.#closeCode);
      }
      this.#closeWaiters.push((code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }
}

export async function ticketFor(person: Person, channelId: string): Promise<string> {
  const response = await request(`/api/channels/${channelId}/socket-ticket`, {
    method: "POST",
    headers: { Authorization: `Bearer ${person.token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { ticket: string }).ticket;
}

/**
 * A WebSocket upgrade. Tests write the ticket as `?ticket=` for brevity; like a real
 * client, this offers it as the subprotocol instead (the server reads no ticket from URLs).
 */
export async function upgrade(path: string, headers: Record<string, string> = {}): Promise<Response> {
  const url = new URL(path, "http://chatalot.test");
  const ticket = url.searchParams.get("ticket");
  url.searchParams.delete("ticket");
  const protocols: Record<string, string> = ticket
    ? { "Sec-WebSocket-Protocol": socketProtocols(ticket).join(", ") }
    : {};
  return request(`${url.pathname}${url.search}`, { headers: { Upgrade: "websocket", ...protocols, ...headers } });
}

export async function connect(person: Person, channelId: string): Promise<TestSocket> {
  const response = await upgrade(`/api/channels/${channelId}/socket?ticket=${await ticketFor(person, channelId)}`);
  expect(response.status).toBe(101);
  const socket = new TestSocket(response.webSocket!);
  await socket.next("welcome");
  return socket;
}

export const text = (value: string) => btoa(value);
export const clientId = () => crypto.randomUUID().replaceAll("-", "");
