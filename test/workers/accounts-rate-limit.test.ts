import { describe, expect, it } from "vitest";
import { errorOf, newAddress, requestFrom } from "./accounts-fixtures.ts";
import { json } from "./fixtures.ts";

// The limiter runs before the body is read, so requests with an invalid body count
// too: that keeps these tests fast (no password hashing) without changing the rule.
const invalid = () => json("POST", { username: "x!" });

async function hitLimit(path: string, allowed: number, init: () => RequestInit = invalid) {
  const address = newAddress();
  for (let index = 0; index < allowed; index++) {
    const response = await requestFrom(address, path, init());
    expect(response.status, `request ${index + 1} of ${allowed}`).not.toBe(429);
    await response.body?.cancel();
  }
  const refused = await requestFrom(address, path, init());
  return { address, refused };
}

function retryAfterOf(response: Response): number {
  expect(response.headers.get("Retry-After")).toMatch(/^\d+$/);
  return Number(response.headers.get("Retry-After"));
}

describe("rate limits per client address", () => {
  it("allow 10 registrations an hour; the 11th gets 429 with Retry-After, while another address carries on", async () => {
    const { refused } = await hitLimit("/api/auth/register", 10);
    expect(refused.status).toBe(429);
    const retryAfter = retryAfterOf(refused);
    expect(retryAfter).toBeGreaterThan(55 * 60);
    expect(retryAfter).toBeLessThanOrEqual(60 * 60);
    expect((await errorOf(refused)).code).toBe("rate_limited");

    const elsewhere = await requestFrom(newAddress(), "/api/auth/register", invalid());
    expect(elsewhere.status).toBe(400);
  });

  it("allow 30 sign-in attempts in five minutes; the 31st gets 429 with Retry-After", async () => {
    const { refused } = await hitLimit("/api/auth/login", 30, () => json("POST", {}));
    expect(refused.status).toBe(429);
    const retryAfter = retryAfterOf(refused);
    expect(retryAfter).toBeGreaterThan(4 * 60);
    expect(retryAfter).toBeLessThanOrEqual(5 * 60);
  });

  it("count recovery attempts with sign-ins", async () => {
    const address = newAddress();
    for (let index = 0; index < 30; index++) {
      const response = await requestFrom(address, "/api/auth/login", json("POST", {}));
      await response.body?.cancel();
    }
    const recover = await requestFrom(address, "/api/auth/recover", json("POST", {}));
    expect(recover.status).toBe(429);
    retryAfterOf(recover);
  });

  it("allow 120 refreshes in five minutes; the 121st gets 429 with Retry-After", async () => {
    const { refused } = await hitLimit("/api/auth/refresh", 120, () => ({
      method: "POST",
      headers: { "X-Chatalot-CSRF": "1" },
    }));
    expect(refused.status).toBe(429);
    expect(retryAfterOf(refused)).toBeLessThanOrEqual(5 * 60);
  });
});
