import { describe, expect, it } from "vitest";
import { RateWindows } from "../../functions/rate-limits.ts";
import { errorOf, newAddress, requestFrom } from "./accounts-fixtures.ts";
import { json, register, unique } from "./fixtures.ts";

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

describe("short windows, counted in memory", () => {
  it("allow 120 socket upgrades a minute; the 121st gets 429 with Retry-After, while another address carries on", async () => {
    // The limiter runs before the upgrade check, so plain GETs count (and answer 426).
    const path = `/api/channels/${crypto.randomUUID()}/socket`;
    const { refused } = await hitLimit(path, 120, () => ({ method: "GET" }));
    expect(refused.status).toBe(429);
    expect((await errorOf(refused)).code).toBe("rate_limited");
    const retryAfter = retryAfterOf(refused);
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(60);

    const elsewhere = await requestFrom(newAddress(), path, { method: "GET" });
    expect(elsewhere.status).toBe(426);
  });

  it("allow 60 MLS commits a minute; the 61st gets 429", async () => {
    const person = await register(unique("committer"));
    // The limiter runs before the channel is looked up, so commits to no channel count (and answer 404).
    const path = `/api/channels/${crypto.randomUUID()}/mls/commits`;
    const { refused } = await hitLimit(path, 60, () => json("POST", {}, person.token));
    expect(refused.status).toBe(429);
    expect(retryAfterOf(refused)).toBeLessThanOrEqual(60);
  });

  it("start a window again from zero once it has run its length", () => {
    const windows = new RateWindows(100);
    const start = 1_000_000;
    expect(windows.hit("route", "192.0.2.1", 60, start)).toEqual({ count: 1, resetsAt: start + 60_000 });
    expect(windows.hit("route", "192.0.2.1", 60, start + 59_999)?.count).toBe(2);
    expect(windows.hit("other-route", "192.0.2.1", 60, start + 59_999)?.count).toBe(1);
    expect(windows.hit("route", "192.0.2.1", 60, start + 60_000)).toEqual({ count: 1, resetsAt: start + 120_000 });
  });

  it("when full, leave newcomers to PostgreSQL (null) while known addresses keep counting; expired windows are dropped", () => {
    const windows = new RateWindows(1_000);
    const now = 5_000_000;
    for (let index = 0; index < 1_000; index++) windows.hit("route", `address-${index}`, 60, now);
    expect(windows.size).toBe(1_000);
    expect(windows.hit("route", "newcomer-1", 60, now)).toBeNull();
    expect(windows.hit("other-route", "address-7", 60, now)).toBeNull(); // a new route is a new window
    expect(windows.hit("route", "address-7", 60, now)?.count).toBe(2);
    expect(windows.size).toBe(1_000);
    // A minute later every window has ended: the sweep drops them, and a newcomer has its own again.
    expect(windows.hit("route", "newcomer-1", 60, now + 120_000)).toEqual({ count: 1, resetsAt: now + 180_000 });
    expect(windows.size).toBe(1);
  });

  it("never count a key here while its window in PostgreSQL may still run", () => {
    const windows = new RateWindows(10);
    const now = 9_000_000;
    for (let index = 0; index < 10; index++) windows.hit("route", `address-${index}`, 60, now);
    expect(windows.hit("five-minutes", "newcomer", 300, now + 50_000)).toBeNull();
    // The sweep has dropped the ten windows, but the newcomer's window in PostgreSQL still runs:
    // counting it here from zero as well would give it its allowance twice. So it stays there,
    // marked, and so does anyone new until the window sent there while full has ended.
    expect(windows.hit("five-minutes", "newcomer", 300, now + 120_000)).toBeNull();
    expect(windows.hit("five-minutes", "second", 300, now + 340_000)).toBeNull();
    expect(windows.size).toBe(2);
    expect(windows.hit("five-minutes", "third", 300, now + 350_000)).toEqual({ count: 1, resetsAt: now + 650_000 });
    // Marked until now + 420,000; this hit may open a new window there, so the mark runs on to now + 700,000.
    expect(windows.hit("five-minutes", "newcomer", 300, now + 400_000)).toBeNull();
    expect(windows.hit("five-minutes", "newcomer", 300, now + 700_000)).toEqual({
      count: 1,
      resetsAt: now + 1_000_000,
    });
  });
});
