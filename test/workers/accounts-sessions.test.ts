import { beforeAll, describe, expect, it } from "vitest";
import { bearer, closeOf, device, errorOf, refresh, sessionsOf, signIn, statusWith } from "./accounts-fixtures.ts";
import { clientId, connect, createChannel, register, request, text, unique, type Person } from "./fixtures.ts";

// Several sign-ins per test, each a deliberately slow password hash, queued behind other files' hashes.
const SIGN_INS_TIMEOUT_MS = 30_000;

let alice: Person;
let bob: Person;

beforeAll(async () => {
  [alice, bob] = await Promise.all([register(unique("alice")), register(unique("bob"))]);
});

const revoke = (person: Person, sessionId: string) =>
  request(`/api/sessions/${sessionId}`, { method: "DELETE", ...bearer(person.token) });

describe("several sessions at once", { timeout: SIGN_INS_TIMEOUT_MS }, () => {
  it("keeps the phone signed in when the laptop signs in, and lists both with the caller marked current", async () => {
    const phoneDevice = device("alice's phone", "Mozilla/5.0 (Android 15; Mobile)");
    const laptopDevice = device("alice's laptop", "Mozilla/5.0 (X11; Linux x86_64)");
    const phone = await signIn(alice.user.username, { from: phoneDevice });
    const laptop = await signIn(alice.user.username, { from: laptopDevice });

    expect(await statusWith(phone.token)).toBe(200);
    expect(await statusWith(laptop.token)).toBe(200);
    // The phone refreshes from its own address, as it would; the list shows the latest address.
    expect((await refresh(phone.cookie, { headers: { "CF-Connecting-IP": phoneDevice.address } })).status).toBe(200);

    const sessions = await sessionsOf(laptop);
    const phoneRow = sessions.find((session) => session.id === phone.sessionId);
    const laptopRow = sessions.find((session) => session.id === laptop.sessionId);
    expect(phoneRow).toMatchObject({
      deviceName: "alice's phone",
      userAgent: phoneDevice.userAgent,
      ip: phoneDevice.address,
      isCurrent: false,
      createdAt: expect.any(String),
      lastSeenAt: expect.any(String),
    });
    expect(laptopRow).toMatchObject({
      deviceName: "alice's laptop",
      userAgent: laptopDevice.userAgent,
      ip: laptopDevice.address,
      isCurrent: true,
    });
    expect(sessions.filter((session) => session.isCurrent)).toHaveLength(1);
    expect((await sessionsOf(phone)).find((session) => session.isCurrent)?.id).toBe(phone.sessionId);
  });

  it("never lists another person's sessions", async () => {
    const aliceIds = (await sessionsOf(alice)).map((session) => session.id);
    const bobIds = (await sessionsOf(bob)).map((session) => session.id);
    expect(bobIds).toContain(bob.sessionId);
    expect(aliceIds).not.toContain(bob.sessionId);
    expect(bobIds.filter((id) => aliceIds.includes(id))).toEqual([]);
  });
});

describe("revoking a session", { timeout: SIGN_INS_TIMEOUT_MS }, () => {
  it("refuses its access token on the very next request while the other session keeps working", async () => {
    const phone = await signIn(alice.user.username, { from: device("phone") });
    const laptop = await signIn(alice.user.username, { from: device("laptop") });

    const response = await revoke(laptop, phone.sessionId);
    expect(response.status).toBe(204);

    const me = await request("/api/me", bearer(phone.token));
    expect(me.status).toBe(401);
    expect((await errorOf(me)).code).toBe("session_ended");
    expect((await refresh(phone.cookie)).status).toBe(401);
    expect(await statusWith(laptop.token)).toBe(200);
    expect((await sessionsOf(laptop)).map((session) => session.id)).not.toContain(phone.sessionId);
  });

  it("answers 404 for someone else's session and leaves it alive", async () => {
    const response = await revoke(alice, bob.sessionId);
    expect(response.status).toBe(404);
    expect(await statusWith(bob.token)).toBe(200);
    expect((await revoke(alice, crypto.randomUUID())).status).toBe(404);
    expect((await revoke(alice, "not-a-uuid")).status).toBe(404);
  });

  it("closes that session's open channel socket with code 4001 and leaves the other session's socket open", async () => {
    const phone = await signIn(alice.user.username, { from: device("phone") });
    const laptop = await signIn(alice.user.username, { from: device("laptop") });
    const general = await createChannel(laptop);
    const phoneSocket = await connect(phone, general.id);
    const laptopSocket = await connect(laptop, general.id);
    const phoneClosed = closeOf(phoneSocket.socket);

    expect((await revoke(laptop, phone.sessionId)).status).toBe(204);

    expect((await phoneClosed).code).toBe(4001);
    laptopSocket.send({ type: "send", clientId: clientId(), payload: text("still here") });
    expect((await laptopSocket.next("ack")).message.payload).toBe(text("still here"));
    laptopSocket.close();
  });

  it("revoke-others ends every other session, sockets included, and keeps the caller's", async () => {
    const phone = await signIn(bob.user.username, { from: device("phone") });
    const tablet = await signIn(bob.user.username, { from: device("tablet") });
    const laptop = await signIn(bob.user.username, { from: device("laptop") });
    const general = await createChannel(laptop);
    const tabletSocket = await connect(tablet, general.id);
    const tabletClosed = closeOf(tabletSocket.socket);

    const response = await request("/api/sessions/revoke-others", { method: "POST", ...bearer(laptop.token) });
    expect(response.status).toBe(200);
    // The registration session from beforeAll, the phone and the tablet.
    expect(await response.json()).toEqual({ revoked: 3 });

    expect((await tabletClosed).code).toBe(4001);
    for (const token of [phone.token, tablet.token, bob.token]) expect(await statusWith(token)).toBe(401);
    expect(await statusWith(laptop.token)).toBe(200);
    expect((await sessionsOf(laptop)).map((session) => session.id)).toEqual([laptop.sessionId]);
  });
});

describe("signing out", { timeout: SIGN_INS_TIMEOUT_MS }, () => {
  it("revokes the session, clears the cookie, and closes the session's socket", async () => {
    const phone = await signIn(alice.user.username, { from: device("phone") });
    const laptop = await signIn(alice.user.username, { from: device("laptop") });
    const general = await createChannel(phone);
    const phoneSocket = await connect(phone, general.id);
    const phoneClosed = closeOf(phoneSocket.socket);

    const response = await request("/api/auth/logout", { method: "POST", ...bearer(phone.token) });
    expect(response.status).toBe(204);
    const cleared = response.headers.getSetCookie().find((value) => value.startsWith("chatalot_refresh="));
    expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);

    expect((await phoneClosed).code).toBe(4001);
    const me = await request("/api/me", bearer(phone.token));
    expect(me.status).toBe(401);
    expect((await errorOf(me)).code).toBe("session_ended");
    expect((await refresh(phone.cookie)).status).toBe(401);
    expect(await statusWith(laptop.token)).toBe(200);
  });
});
