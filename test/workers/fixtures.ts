/**
 * Named fixtures for tests that run inside workerd: people who register through
 * the real API, and sockets opened through the real upgrade route. The database
 * is shared by the whole run, so every name gets a unique suffix.
 */
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { app } from "../../functions/app.ts";
import type { ChannelView, ServerFrame, SessionView } from "../../protocol/index.ts";

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

export async function createChannel(person: Person, name = unique("room").replace(/_/g, "-")): Promise<ChannelView> {
  const response = await request("/api/channels", json("POST", { name }, person.token));
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { channel: ChannelView }).channel;
}

/** A client socket with a queue of received frames. */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  #waiters: (() => void)[] = [];

  constructor(readonly socket: WebSocket) {
    socket.accept();
    socket.addEventListener("message", (event) => {
      this.frames.push(JSON.parse(event.data as string) as ServerFrame);
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
}

export async function ticketFor(person: Person, channelId: string): Promise<string> {
  const response = await request(`/api/channels/${channelId}/socket-ticket`, {
    method: "POST",
    headers: { Authorization: `Bearer ${person.token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { ticket: string }).ticket;
}

export async function upgrade(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return request(path, { headers: { Upgrade: "websocket", ...headers } });
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
