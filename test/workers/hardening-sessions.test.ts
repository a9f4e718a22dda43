/**
 * Attacks on sessions and sockets: a socket ticket replayed from a log or another
 * address, a ticket read from a URL, a session kept alive for ever by refreshing it,
 * a validly signed token that never expires, and API answers a cache could keep.
 */
import { env } from "cloudflare:test";
import { calculateJwkThumbprint, exportJWK, importPKCS8, importSPKI, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { bearer, refresh } from "./accounts-fixtures.ts";
import {
  createChannel,
  errorCode,
  json,
  refreshCookieOf,
  register,
  request,
  ticketFor,
  unique,
  upgrade,
} from "./fixtures.ts";

describe("socket tickets", () => {
  it("opens one socket per ticket: the same ticket again, from anywhere, is refused", async () => {
    const alice = await register(unique("alice"));
    const channel = await createChannel(alice);
    const ticket = await ticketFor(alice, channel.id);
    const first = await upgrade(`/api/channels/${channel.id}/socket?ticket=${ticket}`);
    expect(first.status).toBe(101);
    first.webSocket!.accept();
    const replay = await upgrade(`/api/channels/${channel.id}/socket?ticket=${ticket}`, {
      "CF-Connecting-IP": "203.0.113.66",
    });
    expect(replay.status).toBe(401);
    first.webSocket!.close(1000);
  });

  it("spends an account socket's ticket the same way", async () => {
    const alice = await register(unique("alice"));
    const response = await request("/api/events/socket-ticket", { method: "POST", ...bearer(alice.token) });
    const { ticket } = (await response.json()) as { ticket: string };
    const first = await upgrade(`/api/events/socket?ticket=${ticket}`);
    expect(first.status).toBe(101);
    first.webSocket!.accept();
    expect((await upgrade(`/api/events/socket?ticket=${ticket}`)).status).toBe(401);
    first.webSocket!.close(1000);
  });

  it("reads no ticket from the URL, where a reverse proxy's log would keep it", async () => {
    const alice = await register(unique("alice"));
    const channel = await createChannel(alice);
    const ticket = await ticketFor(alice, channel.id);
    const response = await request(`/api/channels/${channel.id}/socket?ticket=${ticket}`, {
      headers: { Upgrade: "websocket" },
    });
    expect(response.status).toBe(401);
  });

  it("selects the chatalot subprotocol, so browsers that offered the ticket accept the socket", async () => {
    const alice = await register(unique("alice"));
    const channel = await createChannel(alice);
    const response = await upgrade(`/api/channels/${channel.id}/socket?ticket=${await ticketFor(alice, channel.id)}`);
    expect(response.status).toBe(101);
    expect(response.headers.get("Sec-WebSocket-Protocol")).toBe("chatalot");
    response.webSocket!.accept();
    response.webSocket!.close(1000);
  });
});

describe("sessions end", () => {
  it("ends a session at its absolute lifetime however often it was refreshed, and says why", async () => {
    const lifetime = { ...env, SESSION_MAX_AGE_DAYS: String(3 / 86_400) }; // three seconds
    const registered = await request(
      "/api/auth/register",
      json("POST", { username: unique("alice"), password: "correct horse battery staple" }),
      lifetime,
    );
    expect(registered.status).toBe(201);
    const refreshed = await refresh(refreshCookieOf(registered), { bindings: lifetime });
    expect(refreshed.status).toBe(200);
    // The new cookie lives no longer than the session may.
    const maxAge = Number(/Max-Age=(\d+)/.exec(refreshed.headers.getSetCookie().join(";"))?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(3);
    const { accessToken } = (await refreshed.json()) as { accessToken: string };

    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const expired = await refresh(refreshCookieOf(refreshed), { bindings: lifetime });
    expect(expired.status).toBe(401);
    expect(await errorCode(expired)).toBe("session_expired");
    // The session itself is over, not only its refresh: the access token stops working too.
    const me = await request("/api/me", bearer(accessToken), lifetime);
    expect(me.status).toBe(401);
  });
});

describe("tokens", () => {
  async function forge(claims: { exp?: boolean; iat?: boolean }, subject: { userId: string; sessionId: string }) {
    const privateKey = await importPKCS8(env.JWT_PRIVATE_KEY, "EdDSA");
    const publicJwk = await exportJWK(await importSPKI(env.JWT_PUBLIC_KEYS, "EdDSA"));
    const jwt = new SignJWT({ sid: subject.sessionId })
      .setProtectedHeader({ alg: "EdDSA", kid: await calculateJwkThumbprint(publicJwk) })
      .setIssuer("chatalot")
      .setAudience("chatalot:api")
      .setSubject(subject.userId);
    if (claims.iat) jwt.setIssuedAt();
    if (claims.exp) jwt.setExpirationTime("10m");
    return jwt.sign(privateKey);
  }

  it("refuses a validly signed access token without an expiry or an issue time", async () => {
    const alice = await register(unique("alice"));
    const subject = { userId: alice.user.id, sessionId: alice.sessionId };
    // The forging is right: with both claims, the same token is accepted.
    expect((await request("/api/me", bearer(await forge({ exp: true, iat: true }, subject)))).status).toBe(200);
    expect((await request("/api/me", bearer(await forge({ exp: false, iat: true }, subject)))).status).toBe(401);
    expect((await request("/api/me", bearer(await forge({ exp: true, iat: false }, subject)))).status).toBe(401);
  });
});

describe("caches", () => {
  it("marks API answers carrying tokens or private data no-store", async () => {
    const alice = await register(unique("alice"));
    const signIn = await request(
      "/api/auth/login",
      json("POST", { username: alice.user.username, password: "correct horse battery staple" }),
    );
    expect(signIn.headers.get("Cache-Control")).toBe("no-store");
    expect((await request("/api/me", bearer(alice.token))).headers.get("Cache-Control")).toBe("no-store");
    expect((await request("/api/account", bearer(alice.token))).headers.get("Cache-Control")).toBe("no-store");
    expect((await request("/api/nothing-here")).headers.get("Cache-Control")).toBe("no-store");
  });
});
