/**
 * Fixtures for the account tests that run inside workerd: people who sign in from
 * a named device and address, refresh-cookie handling, socket close events, and an
 * RFC 6238 code generator of our own (WebCrypto HMAC-SHA1, not otplib), so the
 * server's two-factor codes are checked against an independent implementation.
 */
import { env } from "cloudflare:test";
import { expect } from "vitest";
import type { AuditEventView, DeviceSessionView, SessionView } from "../../protocol/index.ts";
import { json, PASSWORD, refreshCookieOf, request, type Person } from "./fixtures.ts";

/** A fresh documentation-range IPv6 address (2001:db8::/32) in canonical form, one per simulated client. */
export function newAddress(): string {
  const group = () => (0x1000 + Math.floor(Math.random() * 0xefff)).toString(16);
  return `2001:db8:${group()}:${group()}::7`;
}

/** A client: the address it connects from and the browser it says it is. */
export interface Device {
  address: string;
  userAgent: string;
  deviceName?: string;
}

export const device = (deviceName: string, userAgent = `TestBrowser/1.0 (${deviceName})`): Device => ({
  address: newAddress(),
  userAgent,
  deviceName,
});

/** Calls the app as `from`: its address in CF-Connecting-IP (what wrangler/Cloudflare set) and its User-Agent. */
export function requestFrom(
  from: Device | string,
  path: string,
  init: RequestInit = {},
  bindings: object = env,
): Promise<Response> {
  const headers = new Headers(init.headers);
  const client = typeof from === "string" ? { address: from, userAgent: undefined } : from;
  headers.set("CF-Connecting-IP", client.address);
  if (client.userAgent) headers.set("User-Agent", client.userAgent);
  return request(path, { ...init, headers }, bindings);
}

export const bearer = (token: string, headers: Record<string, string> = {}): RequestInit => ({
  headers: { Authorization: `Bearer ${token}`, ...headers },
});

export interface ErrorBody {
  error: { code: string; message: string };
}

export async function errorOf(response: Response): Promise<ErrorBody["error"]> {
  const body = (await response.json()) as ErrorBody;
  expect(body, "an error body of shape { error: { code, message, requestId } }").toEqual({
    error: { code: expect.any(String), message: expect.any(String), requestId: response.headers.get("X-Request-Id") },
  });
  // Without the request id (each request has its own), so two refusals can be compared whole.
  const { code, message } = body.error;
  return { code, message };
}

/** Signs in and returns the session as a Person (the recovery code is only known from registration). */
export async function signIn(
  username: string,
  options: { password?: string; from?: Device; totpCode?: string; backupCode?: string; bindings?: object } = {},
): Promise<Person> {
  const from = options.from ?? device("browser");
  const body = {
    username,
    password: options.password ?? PASSWORD,
    ...(from.deviceName ? { deviceName: from.deviceName } : {}),
    ...(options.totpCode ? { totpCode: options.totpCode } : {}),
    ...(options.backupCode ? { backupCode: options.backupCode } : {}),
  };
  const response = await requestFrom(from, "/api/auth/login", json("POST", body), options.bindings);
  expect(response.status, await response.clone().text()).toBe(200);
  const session = (await response.json()) as SessionView;
  return { ...session, token: session.accessToken, recoveryCode: "", cookie: refreshCookieOf(response) };
}

/** POST /api/auth/refresh with a refresh cookie and the CSRF header, as the web app sends it. */
export function refresh(
  cookie: string,
  init: { headers?: Record<string, string>; bindings?: object } = {},
): Promise<Response> {
  return request(
    "/api/auth/refresh",
    { method: "POST", headers: { Cookie: cookie, "X-Chatalot-CSRF": "1", ...init.headers } },
    init.bindings,
  );
}

/** GET with a bearer token; returns the status, so "is this token still good?" reads as one line. */
export async function statusWith(token: string, path = "/api/me"): Promise<number> {
  const response = await request(path, bearer(token));
  await response.body?.cancel();
  return response.status;
}

export async function sessionsOf(person: { token: string }): Promise<DeviceSessionView[]> {
  const response = await request("/api/sessions", bearer(person.token));
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { sessions: DeviceSessionView[] }).sessions;
}

export async function auditOf(person: { token: string }, query = ""): Promise<AuditEventView[]> {
  const response = await request(`/api/account/audit${query}`, bearer(person.token));
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { events: AuditEventView[] }).events;
}

/** Resolves with the close event of a server-side-accepted client socket. */
export function closeOf(socket: WebSocket, timeoutMs = 5_000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the socket was not closed within ${timeoutMs} ms`)), timeoutMs);
    socket.addEventListener("close", (event) => {
      clearTimeout(timer);
      resolve({ code: event.code, reason: event.reason });
    });
  });
}

// --- RFC 6238 TOTP, written independently of the server's otplib ---------------------------

const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const TOTP_STEP_SECONDS = 30;

/** RFC 4648 base32 (upper or lower case, padding ignored) to bytes. */
function base32ToBytes(text: string): Uint8Array {
  const clean = text.toUpperCase().replace(/=+$/, "");
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const character of clean) {
    const value = BASE32_ALPHABET.indexOf(character);
    if (value < 0) throw new Error(`not base32: ${character}`);
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >>> bits) & 0xff);
    }
  }
  return new Uint8Array(bytes);
}

/** The HMAC-SHA1 TOTP code (6 digits unless told) for a base32 secret at a 30-second time step (RFC 4226 + 6238). */
export async function totpAt(secret: string, step: number, digits = 6): Promise<string> {
  const key = await crypto.subtle.importKey("raw", base32ToBytes(secret), { name: "HMAC", hash: "SHA-1" }, false, [
    "sign",
  ]);
  const counter = new ArrayBuffer(8);
  new DataView(counter).setBigUint64(0, BigInt(step));
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, counter));
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

const currentStep = () => Math.floor(Date.now() / 1000 / TOTP_STEP_SECONDS);

/**
 * Waits until at least `seconds` remain in the current time step, so a test using
 * the steps either side of "now" does not see the window move under it.
 */
export async function withFreshStep(seconds: number): Promise<number> {
  const intoStep = (Date.now() / 1000) % TOTP_STEP_SECONDS;
  if (TOTP_STEP_SECONDS - intoStep < seconds) {
    await new Promise((resolve) => setTimeout(resolve, (TOTP_STEP_SECONDS - intoStep) * 1000 + 200));
  }
  return currentStep();
}
