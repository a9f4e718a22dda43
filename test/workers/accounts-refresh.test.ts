import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionView } from "../../protocol/index.ts";
import { auditOf, closeOf, device, errorOf, refresh, signIn, statusWith } from "./accounts-fixtures.ts";
import { connect, createChannel, refreshCookieOf, register, request, unique, type Person } from "./fixtures.ts";

// Several sign-ins per test, each a deliberately slow password hash, queued behind other files' hashes.
const SIGN_INS_TIMEOUT_MS = 30_000;

let alice: Person;

beforeAll(async () => {
  alice = await register(unique("alice"));
});

const setCookieOf = (response: Response) =>
  response.headers.getSetCookie().find((value) => value.startsWith("chatalot_refresh="))!;

const attributesOf = (setCookie: string) =>
  setCookie
    .split(";")
    .slice(1)
    .map((part) => part.trim().toLowerCase());

describe("the refresh cookie", { timeout: SIGN_INS_TIMEOUT_MS }, () => {
  it("is HttpOnly, SameSite=Strict, scoped to /api/auth, and not Secure when PUBLIC_URL is http", async () => {
    const session = await signIn(alice.user.username, { from: device("laptop") });
    const response = await refresh(session.cookie);
    expect(response.status).toBe(200);
    const attributes = attributesOf(setCookieOf(response));
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=strict");
    expect(attributes).toContain("path=/api/auth");
    expect(attributes).not.toContain("secure");
  });

  it("is Secure when PUBLIC_URL is https", async () => {
    const session = await signIn(alice.user.username, { from: device("laptop") });
    const https = { ...env, PUBLIC_URL: "https://chat.example" };
    const response = await refresh(session.cookie, { bindings: https });
    expect(response.status, await response.clone().text()).toBe(200);
    const attributes = attributesOf(setCookieOf(response));
    expect(attributes).toContain("secure");
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=strict");
  });

  it("is the only place the refresh token appears: never in a response body", async () => {
    const session = await signIn(alice.user.username, { from: device("laptop") });
    const response = await refresh(session.cookie);
    const rotated = refreshCookieOf(response).split("=")[1]!;
    const body = await response.text();
    expect(rotated.length).toBeGreaterThan(20);
    expect(body).not.toContain(rotated);
    expect(body).not.toContain(session.cookie.split("=")[1]!);
  });
});

describe("refreshing", { timeout: SIGN_INS_TIMEOUT_MS }, () => {
  it("rotates the token: a new cookie and a working access token for the same session", async () => {
    const phone = await signIn(alice.user.username, { from: device("phone") });
    const response = await refresh(phone.cookie);
    expect(response.status).toBe(200);
    const refreshed = (await response.json()) as SessionView;
    const next = refreshCookieOf(response);
    expect(next).toMatch(/^chatalot_refresh=.+/);
    expect(next).not.toBe(phone.cookie);
    expect(refreshed.sessionId).toBe(phone.sessionId);
    expect(refreshed.user.id).toBe(alice.user.id);
    expect(await statusWith(refreshed.accessToken)).toBe(200);
    // The new token rotates again; the chain goes on.
    const again = await refresh(next);
    expect(again.status).toBe(200);
    expect(refreshCookieOf(again)).not.toBe(next);
  });

  it("treats a spent token coming back after its successor was used as theft: the whole session ends, newest token and access tokens included", async () => {
    const phone = await signIn(alice.user.username, { from: device("phone") });
    const laptop = await signIn(alice.user.username, { from: device("laptop") });
    const general = await createChannel(laptop);
    const phoneSocket = await connect(phone, general.id);
    const phoneClosed = closeOf(phoneSocket.socket);
    // The phone refreshes twice, as it does every quarter of an hour.
    const first = await refresh(phone.cookie);
    expect(first.status).toBe(200);
    const second = await refresh(refreshCookieOf(first));
    expect(second.status).toBe(200);
    const newestCookie = refreshCookieOf(second);
    const accessTokens = [
      phone.token,
      ((await first.json()) as SessionView).accessToken,
      ((await second.json()) as SessionView).accessToken,
    ];

    // mallory replays the token she stole before the phone used it.
    const replay = await refresh(phone.cookie);
    expect(replay.status).toBe(401);
    expect((await errorOf(replay)).code).toBe("session_ended");
    expect((await phoneClosed).code).toBe(4001);

    const withNewest = await refresh(newestCookie);
    expect(withNewest.status).toBe(401);
    expect((await errorOf(withNewest)).code).toBe("session_ended");
    for (const token of accessTokens) {
      const me = await request("/api/me", { headers: { Authorization: `Bearer ${token}` } });
      expect(me.status).toBe(401);
      expect((await errorOf(me)).code).toBe("session_ended");
    }
    // Only that session: alice's laptop carries on.
    expect(await statusWith(laptop.token)).toBe(200);
    expect((await refresh(laptop.cookie)).status).toBe(200);
    // And it is on alice's security log.
    const reuse = (await auditOf(laptop)).find((event) => event.action === "session.refresh_token_reused");
    expect(reuse).toMatchObject({ targetUserId: alice.user.id, details: { sessionId: phone.sessionId } });
  });

  it("answers two tabs refreshing with the same token at once: one gets a new token, the other 409 and nothing, and the session lives on", async () => {
    const browser = await signIn(alice.user.username, { from: device("browser") });
    const tabs = await Promise.all([refresh(browser.cookie), refresh(browser.cookie)]);
    expect(tabs.map((tab) => tab.status).sort()).toEqual([200, 409]);
    const firstTab = tabs.find((tab) => tab.status === 200)!;
    const secondTab = tabs.find((tab) => tab.status === 409)!;
    expect((await errorOf(secondTab)).code).toBe("refresh_conflict");
    expect(secondTab.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(refreshCookieOf(secondTab)).toBe("");
    // The session lives on through the first tab's new token.
    expect(await statusWith(browser.token)).toBe(200);
    expect((await refresh(refreshCookieOf(firstTab))).status).toBe(200);
  });

  it("treats a spent token coming back after the 10-second grace as theft, even if its successor is unused", async () => {
    const phone = await signIn(alice.user.username, { from: device("phone") });
    const rotated = await refresh(phone.cookie);
    expect(rotated.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const replay = await refresh(phone.cookie);
    expect(replay.status).toBe(401);
    expect((await errorOf(replay)).code).toBe("session_ended");
    expect((await refresh(refreshCookieOf(rotated))).status).toBe(401);
    expect(await statusWith(phone.token)).toBe(401);
  });

  it("refuses without the CSRF header", async () => {
    const session = await signIn(alice.user.username, { from: device("laptop") });
    const response = await request("/api/auth/refresh", { method: "POST", headers: { Cookie: session.cookie } });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe("csrf_header_missing");
    // The refused attempt did not spend the token.
    expect((await refresh(session.cookie)).status).toBe(200);
  });

  it("refuses a request from a foreign Origin and accepts one from PUBLIC_URL", async () => {
    const session = await signIn(alice.user.username, { from: device("laptop") });
    const foreign = await refresh(session.cookie, { headers: { Origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    expect((await errorOf(foreign)).code).toBe("origin_not_allowed");
    const ours = await refresh(session.cookie, { headers: { Origin: "http://chatalot.test" } });
    expect(ours.status).toBe(200);
  });

  it("without a cookie, or with a made-up one, answers 401", async () => {
    const none = await request("/api/auth/refresh", { method: "POST", headers: { "X-Chatalot-CSRF": "1" } });
    expect(none.status).toBe(401);
    const madeUp = await refresh("chatalot_refresh=not-a-token-we-issued");
    expect(madeUp.status).toBe(401);
  });
});
