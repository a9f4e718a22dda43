/**
 * A stand-in for the browsers' push services (FCM, Mozilla's, Apple's): the only fake
 * in the Web Push tests, because it is the outer edge. Devices made here subscribe like
 * a browser does (a P-256 key pair and a 16-byte auth secret); every push that arrives
 * has its VAPID JWT (RFC 8292) checked against the server's served public key with
 * jose, and its body decrypted (RFC 8291, aes128gcm) with http_ece, the reference
 * implementation: both independent of the server's code.
 */
import { createECDH, randomBytes, type ECDH } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import ece from "http_ece";
import { decodeProtectedHeader, importJWK, jwtVerify, type JWTPayload } from "jose";

export interface ReceivedPush {
  deviceId: string;
  /** The decrypted body, parsed as JSON. */
  payload: unknown;
  /** The decrypted body as text, to look for anything that should not be there. */
  text: string;
  ttl: string | null;
  urgency: string | null;
  topic: string | null;
  contentEncoding: string | null;
  claims: JWTPayload;
  at: number;
}

export interface PushDevice {
  id: string;
  /** What PushSubscription.toJSON() gives a page. */
  subscription: { endpoint: string; keys: { p256dh: string; auth: string }; expirationTime: null };
}

/** What the service answers a device's next pushes, in order; then 201 Created. */
type Answer = number | { status: number; headers: Record<string, string> };

export interface FakePushService {
  origin: string;
  /** Sets the VAPID public key (base64url) pushes must be signed with. */
  expectVapidKey(publicKey: string): void;
  device(label: string, origin?: string): PushDevice;
  /** Answers the device's next pushes with these statuses (then 201 again); a number repeats forever with `always`. */
  answer(deviceId: string, answers: Answer[], options?: { always?: boolean }): void;
  received(deviceId?: string): ReceivedPush[];
  /** Every request that arrived for a device, answered or not. */
  attempts(deviceId: string): number;
  /** Pushes whose signature or encryption was wrong: must stay empty. */
  rejected: string[];
  waitFor(deviceId: string, count: number, timeoutMs?: number): Promise<ReceivedPush[]>;
  stop(): Promise<void>;
}

interface DeviceKeys {
  ecdh: ECDH;
  auth: string;
}

const base64Url = (bytes: Buffer) => bytes.toString("base64url");

export async function startPushService(): Promise<FakePushService> {
  const devices = new Map<string, DeviceKeys>();
  const answers = new Map<string, { queue: Answer[]; always: boolean }>();
  const attempts = new Map<string, number>();
  const received: ReceivedPush[] = [];
  const rejected: string[] = [];
  const waiters = new Set<() => void>();
  let vapidKey: string | null = null;

  const server: Server = createServer(async (request, response) => {
    const id = /^\/push\/([\w-]+)$/.exec(request.url ?? "")?.[1];
    const body = await readBody(request);
    const keys = id ? devices.get(id) : undefined;
    if (!id || !keys || request.method !== "POST") {
      response.writeHead(404).end();
      return;
    }
    attempts.set(id, (attempts.get(id) ?? 0) + 1);
    const planned = answers.get(id);
    const answer = planned?.always ? planned.queue[0] : planned?.queue.shift();
    if (answer !== undefined) {
      const { status, headers } = typeof answer === "number" ? { status: answer, headers: {} } : answer;
      response.writeHead(status, headers).end();
      return;
    }
    try {
      const push = await openPush(id, request, body, keys, vapidKey, origin);
      received.push(push);
      response.writeHead(201).end();
    } catch (error) {
      rejected.push(`${id}: ${(error as Error).message}`);
      response.writeHead(400).end();
    }
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    rejected,
    expectVapidKey(publicKey) {
      vapidKey = publicKey;
    },
    device(label, deviceOrigin = origin) {
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const id = `${label}-${randomBytes(6).toString("hex")}`;
      const auth = base64Url(randomBytes(16));
      devices.set(id, { ecdh, auth });
      return {
        id,
        subscription: {
          endpoint: `${deviceOrigin}/push/${id}`,
          keys: { p256dh: base64Url(ecdh.getPublicKey()), auth },
          expirationTime: null,
        },
      };
    },
    answer(deviceId, planned, options = {}) {
      answers.set(deviceId, { queue: [...planned], always: options.always ?? false });
    },
    received: (deviceId) => received.filter((push) => deviceId === undefined || push.deviceId === deviceId),
    attempts: (deviceId) => attempts.get(deviceId) ?? 0,
    async waitFor(deviceId, count, timeoutMs = 15_000) {
      const mine = () => received.filter((push) => push.deviceId === deviceId);
      if (mine().length >= count) return mine();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `${deviceId}: ${mine().length} of ${count} pushes after ${timeoutMs} ms (${rejected.join("; ")})`,
            ),
          );
        }, timeoutMs);
        const check = () => {
          if (mine().length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(mine());
        };
        waiters.add(check);
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Checks the VAPID signature and decrypts the body, as a push service and then a browser would. */
async function openPush(
  deviceId: string,
  request: IncomingMessage,
  body: Buffer,
  keys: DeviceKeys,
  vapidKey: string | null,
  origin: string,
): Promise<ReceivedPush> {
  const authorization = request.headers.authorization ?? "";
  const match = /^vapid t=([\w.-]+), k=([\w-]+)$/.exec(authorization);
  if (!match) throw new Error(`Authorization is not "vapid t=…, k=…": ${authorization.slice(0, 40)}`);
  const [, token, k] = match;
  if (vapidKey === null || k !== vapidKey) throw new Error("k= is not the served VAPID public key");
  const point = Buffer.from(k!, "base64url");
  const publicKey = await importJWK(
    { kty: "EC", crv: "P-256", x: base64Url(point.subarray(1, 33)), y: base64Url(point.subarray(33, 65)) },
    "ES256",
  );
  if (decodeProtectedHeader(token!).alg !== "ES256") throw new Error("the VAPID JWT is not ES256");
  const { payload: claims } = await jwtVerify(token!, publicKey, { audience: origin });
  const now = Math.floor(Date.now() / 1000);
  if (!claims.exp || claims.exp > now + 24 * 60 * 60) throw new Error("the VAPID JWT must expire within 24 hours");
  if (!claims.sub || !/^(mailto:|https?:)/.test(claims.sub)) throw new Error("the VAPID JWT has no contact subject");
  if (request.headers["content-encoding"] !== "aes128gcm") throw new Error("Content-Encoding is not aes128gcm");
  const plain = ece.decrypt(body, { version: "aes128gcm", privateKey: keys.ecdh, authSecret: keys.auth });
  const text = plain.toString("utf8");
  return {
    deviceId,
    payload: JSON.parse(text),
    text,
    ttl: header(request, "ttl"),
    urgency: header(request, "urgency"),
    topic: header(request, "topic"),
    contentEncoding: header(request, "content-encoding"),
    claims,
    at: Date.now(),
  };
}

const header = (request: IncomingMessage, name: string) => {
  const value = request.headers[name];
  return typeof value === "string" ? value : null;
};
