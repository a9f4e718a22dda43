import { beforeAll, describe, expect, it } from "vitest";
import { json, register, request, unique, type Person } from "./fixtures.ts";

let alice: Person;

beforeAll(async () => {
  alice = await register(unique("alice"));
});

/** A secret nobody could mistake for anything else in a response. */
const secret = (label: string) => `${label}-${crypto.randomUUID()}`;

async function expectNoEcho(response: Response, ...secrets: string[]) {
  expect(response.status).toBeGreaterThanOrEqual(400);
  const body = await response.text();
  const parsed = JSON.parse(body) as { error: { code: string; message: string } };
  expect(Object.keys(parsed)).toEqual(["error"]);
  for (const value of secrets) {
    expect(body).not.toContain(value);
    expect(body.toLowerCase()).not.toContain(value.toLowerCase());
  }
  // Never a stack trace or an internal error text.
  expect(body).not.toMatch(/\bat [\w$.]+ \(|node_modules|\.ts:\d+/);
  return parsed.error;
}

describe("error bodies never echo a secret", () => {
  it("a wrong password at sign-in", async () => {
    const password = secret("wrong password");
    const error = await expectNoEcho(
      await request("/api/auth/login", json("POST", { username: alice.user.username, password })),
      password,
    );
    expect(error.code).toBe("invalid_credentials");
  });

  it("a password refused at registration: common, containing the username, too short, too long", async () => {
    const name = unique("bob");
    const cases = [
      { password: "password123", code: "password_too_common" },
      { password: `${name}-${crypto.randomUUID()}`, code: "password_contains_username" },
      { password: "hunter2!", code: "invalid_request" },
      { password: secret("long").repeat(8), code: "invalid_request" },
    ];
    for (const { password, code } of cases) {
      const response = await request("/api/auth/register", json("POST", { username: name, password }));
      // Only the part that is not the username could identify the password.
      const error = await expectNoEcho(response, password.replace(name, "") || password);
      expect(error.code).toBe(code);
    }
  });

  it("a wrong current password, a wrong recovery code, a malformed code and an unknown field", async () => {
    const current = secret("current");
    const next = secret("next password");
    await expectNoEcho(
      await request(
        "/api/account/password",
        json("POST", { currentPassword: current, newPassword: next }, alice.token),
      ),
      current,
      next,
    );

    const code = "zzzz-yyyy-xxxx-wwww-vvvv-uuuu-tttt";
    await expectNoEcho(
      await request(
        "/api/auth/recover",
        json("POST", { username: alice.user.username, recoveryCode: code, newPassword: next }),
      ),
      code,
      next,
    );

    const password = secret("password");
    await expectNoEcho(
      await request("/api/auth/login", json("POST", { username: alice.user.username, password, totpCode: "12345x" })),
      password,
      "12345x",
    );
    const hidden = secret("smuggled");
    await expectNoEcho(
      await request("/api/auth/login", json("POST", { username: alice.user.username, password, extra: hidden })),
      password,
      hidden,
    );
  });

  it("a body that is not JSON", async () => {
    const password = secret("raw");
    const response = await request("/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: `{"username":"${alice.user.username}","password":"${password}"`,
    });
    expect((await expectNoEcho(response, password)).code).toBe("invalid_json");
  });
});
