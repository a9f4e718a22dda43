import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { bearer, errorOf, signIn } from "./accounts-fixtures.ts";
import { json, PASSWORD, register, request, unique } from "./fixtures.ts";

const registering = (body: Record<string, unknown>, bindings: object = env) =>
  request("/api/auth/register", json("POST", body), bindings);

describe("registration refuses", () => {
  it.each(["root", "Administrator", "SUPPORT", "moderator", "everyone", "deleted-bob", "Deleted-alice"])(
    "the reserved name %s",
    async (username) => {
      const response = await registering({ username, password: PASSWORD });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).code).toBe("username_reserved");
    },
  );

  it.each(["password123", "1234567890", "qwertyuiop", "PASSWORD123"])("the common password %s", async (password) => {
    const response = await registering({ username: unique("alice"), password });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("password_too_common");
    expect(error.message).toContain("common passwords");
  });

  it("a password that contains the username, in any case", async () => {
    const alice = unique("alice");
    for (const password of [`my name is ${alice}!`, `${alice.toUpperCase()} rules ok`]) {
      const response = await registering({ username: alice, password });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).code).toBe("password_contains_username");
    }
  });

  it("a password longer than 256 characters, and a username outside 3 to 32 characters", async () => {
    const tooLong = await registering({ username: unique("alice"), password: "a quite long password ".repeat(12) });
    expect(tooLong.status).toBe(400);
    expect((await errorOf(tooLong)).message).toContain("at most 256 characters");
    for (const username of ["al", `a${"l".repeat(32)}`, "_alice", "alice smith"]) {
      const response = await registering({ username, password: PASSWORD });
      expect(response.status, username).toBe(400);
      expect((await errorOf(response)).message).toContain("username");
    }
  });

  it("anyone without an invite in invite_only mode, and a made-up invite code", async () => {
    const inviteOnly = { ...env, REGISTRATION_MODE: "invite_only" };
    const withoutInvite = await registering({ username: unique("carol"), password: PASSWORD }, inviteOnly);
    expect(withoutInvite.status).toBe(403);
    expect(await errorOf(withoutInvite)).toEqual({
      code: "invite_required",
      message: expect.stringContaining("invite"),
    });

    const madeUp = await registering(
      { username: unique("carol"), password: PASSWORD, inviteCode: "abcd-efgh-ijkm-npqr-stuv" },
      inviteOnly,
    );
    expect(madeUp.status).toBe(403);
    expect((await errorOf(madeUp)).code).toBe("invalid_invite");
  });

  it("everyone in closed mode, even with an invite code", async () => {
    const closed = { ...env, REGISTRATION_MODE: "closed" };
    for (const body of [
      { username: unique("dave"), password: PASSWORD },
      { username: unique("dave"), password: PASSWORD, inviteCode: "abcd-efgh-ijkm-npqr-stuv" },
    ]) {
      const response = await registering(body, closed);
      expect(response.status).toBe(403);
      expect((await errorOf(response)).code).toBe("registration_closed");
    }
  });

  it("a name that differs from a taken one only in case", async () => {
    const alice = unique("alice");
    await register(alice);
    const response = await registering({ username: alice.toUpperCase(), password: PASSWORD });
    expect(response.status).toBe(409);
    expect((await errorOf(response)).code).toBe("username_taken");
  });
});

describe("the recovery code", () => {
  it("is returned once, at registration, and never again by sign-in or the account routes", async () => {
    const bob = unique("bob");
    const registered = await register(bob);
    expect(registered.recoveryCode).toMatch(/^([a-z0-9]{4}-){6}[a-z0-9]{4}$/);

    const session = await signIn(bob);
    const bodies = await Promise.all(
      ["/api/me", "/api/account", "/api/sessions", "/api/account/audit"].map(async (path) => {
        const response = await request(path, bearer(session.token));
        expect(response.status, path).toBe(200);
        return response.text();
      }),
    );
    const login = await request("/api/auth/login", json("POST", { username: bob, password: PASSWORD }));
    for (const body of [...bodies, await login.text()]) {
      expect(body).not.toContain(registered.recoveryCode);
      expect(body).not.toContain("recoveryCode");
    }
  });
});
