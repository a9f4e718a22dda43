import { describe, expect, it } from "vitest";
import type { AuditEventView, RegisteredView } from "../../protocol/index.ts";
import { auditOf, bearer, device, requestFrom, signIn, totpAt, withFreshStep } from "./accounts-fixtures.ts";
import { json, PASSWORD, register, request, unique } from "./fixtures.ts";

const NEW_PASSWORD = "a brand new passphrase 42";

describe("the security log at /api/account/audit", () => {
  it("records registration, sign-in, failed sign-in, two-factor changes, password change and session revocation, each with address and agent", async () => {
    const name = unique("alice");
    const home = device("home desktop", "HomeBrowser/7.0");
    const laptop = device("laptop", "LaptopBrowser/3.1");
    const phone = device("phone", "PhoneBrowser/9.9");
    const mallory = device("mallory's box", "curl/8.0");

    const registration = await requestFrom(
      home,
      "/api/auth/register",
      json("POST", { username: name, password: PASSWORD }),
    );
    expect(registration.status).toBe(201);
    const alice = (await registration.json()) as RegisteredView;
    const session = await signIn(name, { from: laptop });
    const phoneSession = await signIn(name, { from: phone });
    const failed = await requestFrom(
      mallory,
      "/api/auth/login",
      json("POST", { username: name, password: "guessing wrong!" }),
    );
    expect(failed.status).toBe(401);

    const as = (from: typeof laptop, path: string, init: RequestInit) =>
      requestFrom(from, path, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${session.token}` },
      });
    const setup = await as(laptop, "/api/two-factor/setup", { method: "POST" });
    const { secret } = (await setup.json()) as { secret: string };
    const step = await withFreshStep(10);
    expect(
      (
        await as(
          laptop,
          "/api/two-factor/enable",
          json("POST", { totpCode: await totpAt(secret, step), password: PASSWORD }),
        )
      ).status,
    ).toBe(200);
    const disable = await as(
      laptop,
      "/api/two-factor/disable",
      json("POST", { password: PASSWORD, totpCode: await totpAt(secret, step + 1) }),
    );
    expect(disable.status).toBe(204);
    expect((await as(laptop, `/api/sessions/${phoneSession.sessionId}`, { method: "DELETE" })).status).toBe(204);
    const change = await as(
      laptop,
      "/api/account/password",
      json("POST", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }),
    );
    expect(change.status).toBe(204);

    const events = await auditOf(session);
    const only = (action: string): AuditEventView => {
      const matching = events.filter((event) => event.action === action);
      expect(matching, action).toHaveLength(1);
      return matching[0]!;
    };
    const id = alice.user.id;
    expect(only("user.registered")).toMatchObject({
      actorId: id,
      targetUserId: id,
      ip: home.address,
      userAgent: home.userAgent,
    });
    const signIns = events.filter((event) => event.action === "user.signed_in");
    expect(signIns.map((event) => [event.ip, event.userAgent])).toEqual(
      expect.arrayContaining([
        [laptop.address, laptop.userAgent],
        [phone.address, phone.userAgent],
      ]),
    );
    expect(only("user.sign_in_failed")).toMatchObject({
      actorId: null,
      targetUserId: id,
      ip: mallory.address,
      userAgent: mallory.userAgent,
    });
    for (const action of ["totp.enabled", "totp.disabled", "password.changed"]) {
      expect(only(action)).toMatchObject({
        actorId: id,
        targetUserId: id,
        ip: laptop.address,
        userAgent: laptop.userAgent,
      });
    }
    expect(only("session.revoked")).toMatchObject({
      actorId: id,
      ip: laptop.address,
      userAgent: laptop.userAgent,
      details: expect.objectContaining({ sessionId: phoneSession.sessionId }),
    });
    for (const event of events) {
      expect(event.at).toEqual(expect.any(String));
      expect(Number.isNaN(Date.parse(event.at))).toBe(false);
    }
    // Newest first.
    const ids = events.map((event) => event.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  }, 60_000);

  it("never shows another person's events", async () => {
    const alice = await register(unique("alice"));
    const bob = await register(unique("bob"));
    await signIn(bob.user.username);
    await request("/api/auth/login", json("POST", { username: bob.user.username, password: "guessing wrong!" }));

    const aliceEvents = await auditOf(alice);
    expect(aliceEvents.length).toBeGreaterThan(0);
    for (const event of aliceEvents) {
      expect([event.actorId, event.targetUserId]).toContain(alice.user.id);
      expect([event.actorId, event.targetUserId]).not.toContain(bob.user.id);
    }
    const bobEvents = await auditOf(bob);
    expect(bobEvents.map((event) => event.action)).toEqual(
      expect.arrayContaining(["user.registered", "user.signed_in", "user.sign_in_failed"]),
    );
    expect(bobEvents.map((event) => event.id).filter((id) => aliceEvents.some((event) => event.id === id))).toEqual([]);
  });

  it("pages backwards with ?before and ?limit", async () => {
    const carol = await register(unique("carol"));
    for (const displayName of ["Carol", "Carol C.", "Carol Carlsen"]) {
      expect((await request("/api/account/profile", json("PATCH", { displayName }, carol.token))).status).toBe(200);
    }
    const all = await auditOf(carol);
    expect(all.map((event) => event.action)).toEqual([
      "profile.updated",
      "profile.updated",
      "profile.updated",
      "user.registered",
    ]);
    const firstPage = await auditOf(carol, "?limit=2");
    expect(firstPage).toEqual(all.slice(0, 2));
    const secondPage = await auditOf(carol, `?limit=2&before=${firstPage[1]!.id}`);
    expect(secondPage).toEqual(all.slice(2, 4));
    expect((await request("/api/account/audit?limit=0", bearer(carol.token))).status).toBe(400);
  });
});
