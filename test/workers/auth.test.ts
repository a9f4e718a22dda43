import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { json, PASSWORD, register, request, unique } from "./fixtures.ts";

describe("registration", () => {
  it("makes the account named ADMIN_USERNAME the instance admin, and nobody else", async () => {
    const admin = await register("Admin"); // case-insensitive match with ADMIN_USERNAME=admin
    expect(admin.user.isAdmin).toBe(true);
    const alice = await register(unique("alice"));
    expect(alice.user.isAdmin).toBe(false);
  });

  it("refuses a username that differs only in case from an existing one", async () => {
    const name = unique("bob");
    await register(name);
    const response = await request(
      "/api/auth/register",
      json("POST", { username: name.toUpperCase(), password: PASSWORD }),
    );
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: {
        code: "username_taken",
        message: expect.stringContaining("taken"),
        requestId: response.headers.get("X-Request-Id"),
      },
    });
  });

  it("explains what is wrong with a bad username or a short password", async () => {
    const response = await request("/api/auth/register", json("POST", { username: "x!", password: "short" }));
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("invalid_request");
    expect(error.message).toContain("username");
    expect(error.message).toContain("at least 10 characters");
  });

  it("refuses a body that is not JSON, one not sent as JSON, and one that is too large", async () => {
    const notJson = await request("/api/auth/register", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "username=alice",
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe("invalid_json");
    const form = await request("/api/auth/register", { method: "POST", body: "username=alice" });
    expect(form.status).toBe(415);
    expect(((await form.json()) as { error: { code: string } }).error.code).toBe("unsupported_media_type");
    const huge = await request(
      "/api/auth/register",
      json("POST", { username: "alice", password: "p".repeat(100_000) }),
    );
    expect(huge.status).toBe(413);
  });

  it("in invite_only mode lets only the bootstrap admin register", async () => {
    const inviteOnly = { ...env, REGISTRATION_MODE: "invite_only" };
    const response = await request(
      "/api/auth/register",
      json("POST", { username: unique("carol"), password: PASSWORD }),
      inviteOnly,
    );
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invite_required");
    // An admin already exists (the first test), so the admin name cannot bootstrap again either.
    const late = await request(
      "/api/auth/register",
      json("POST", { username: "admin", password: PASSWORD }),
      inviteOnly,
    );
    expect([403, 409]).toContain(late.status);
  });

  it("in closed mode refuses everyone once an admin exists", async () => {
    const closed = { ...env, REGISTRATION_MODE: "closed" };
    const response = await request(
      "/api/auth/register",
      json("POST", { username: unique("dave"), password: PASSWORD }),
      closed,
    );
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain("closed");
  });
});

describe("signing in", () => {
  it("returns a session whose token opens /api/me", async () => {
    const name = unique("erin");
    await register(name);
    const login = await request("/api/auth/login", json("POST", { username: name.toUpperCase(), password: PASSWORD }));
    expect(login.status).toBe(200);
    const { accessToken, user } = (await login.json()) as { accessToken: string; user: { username: string } };
    expect(user.username).toBe(name);
    const me = await request("/api/me", { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { username: string } }).user.username).toBe(name);
  });

  it("answers a wrong password and an unknown user identically", async () => {
    const name = unique("frank");
    await register(name);
    const wrongPassword = await request(
      "/api/auth/login",
      json("POST", { username: name, password: "not the password!" }),
    );
    const unknownUser = await request(
      "/api/auth/login",
      json("POST", { username: unique("nobody"), password: PASSWORD }),
    );
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    // The same but for each request's own id (X-Request-Id, for the log).
    const answer = async (response: Response) => {
      const { error } = (await response.json()) as { error: { requestId?: string } };
      expect(error.requestId).toBe(response.headers.get("X-Request-Id"));
      return { ...error, requestId: undefined };
    };
    expect(await answer(wrongPassword)).toEqual(await answer(unknownUser));
  });

  it("refuses requests without a token, with a tampered token, or with a token from another key", async () => {
    const grace = await register(unique("grace"));
    expect((await request("/api/me")).status).toBe(401);
    const [header, payload, signature] = grace.token.split(".");
    const forgedPayload = btoa(
      JSON.stringify({ ...JSON.parse(atob(payload!.replace(/-/g, "+").replace(/_/g, "/"))), sub: crypto.randomUUID() }),
    )
      .replace(/=+$/, "")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    const tampered = await request("/api/me", {
      headers: { Authorization: `Bearer ${header}.${forgedPayload}.${signature}` },
    });
    expect(tampered.status).toBe(401);
    expect(((await tampered.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  });
});

describe("published signing keys", () => {
  it("serve the public key at /.well-known/jwks.json with the key id tokens carry", async () => {
    const hank = await register(unique("hank"));
    const response = await request("/.well-known/jwks.json");
    const { keys } = (await response.json()) as { keys: { kid: string; kty: string; crv: string; alg: string }[] };
    const kid = JSON.parse(atob(hank.token.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/"))).kid;
    expect(keys).toContainEqual(expect.objectContaining({ kid, kty: "OKP", crv: "Ed25519", alg: "EdDSA" }));
    expect(JSON.stringify(keys)).not.toContain('"d"'); // never the private part
  });
});
