import { beforeAll, describe, expect, it } from "vitest";
import { auditOf, errorOf, newAddress, requestFrom } from "./accounts-fixtures.ts";
import { json, PASSWORD, register, unique, type Person } from "./fixtures.ts";

const WRONG = "not the right password";
const FIRST_LOCK_SECONDS = 30;

let alice: Person;
let bob: Person;
let carol: Person;
let dave: Person;

beforeAll(async () => {
  [alice, bob, carol, dave] = await Promise.all([
    register(unique("alice")),
    register(unique("bob")),
    register(unique("carol")),
    register(unique("dave")),
  ]);
});

const loginFrom = (address: string, username: string, password: string) =>
  requestFrom(address, "/api/auth/login", json("POST", { username, password }));

function retryAfterOf(response: Response): number {
  const header = response.headers.get("Retry-After");
  expect(header, "a Retry-After header").toMatch(/^\d+$/);
  return Number(header);
}

// Independent people and addresses, so the tests run side by side (one of them waits out a lock);
// side by side, their password hashes queue behind each other, hence the generous timeout.
describe.concurrent("failed sign-ins", { timeout: 90_000 }, () => {
  it("lock an account after five wrong passwords: 429 locked_out with Retry-After, even for the right password", async () => {
    const mallory = newAddress();
    const name = alice.user.username;
    // The lock is per account name, whatever case it is typed in.
    for (const typed of [name, name.toUpperCase(), name, name.toUpperCase()]) {
      const response = await loginFrom(mallory, typed, WRONG);
      expect(response.status).toBe(401);
      expect((await errorOf(response)).code).toBe("invalid_credentials");
    }
    const fifth = await loginFrom(mallory, name, WRONG);
    expect(fifth.status).toBe(429);
    expect((await errorOf(fifth)).code).toBe("locked_out");

    const sixth = await loginFrom(mallory, name, WRONG);
    expect(sixth.status).toBe(429);
    const retryAfter = retryAfterOf(sixth);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(FIRST_LOCK_SECONDS);
    const error = await errorOf(sixth);
    expect(error.code).toBe("locked_out");
    expect(error.message).toMatch(/try again in \d+ seconds/);

    const rightPassword = await loginFrom(mallory, name, PASSWORD);
    expect(rightPassword.status).toBe(429);
    expect((await errorOf(rightPassword)).code).toBe("locked_out");
    // The account is locked wherever alice signs in from.
    const fromHome = await loginFrom(newAddress(), name, PASSWORD);
    expect(fromHome.status).toBe(429);
    expect(retryAfterOf(fromHome)).toBeLessThanOrEqual(FIRST_LOCK_SECONDS);

    // Her existing session is unaffected, and her security log tells her what happened.
    const events = await auditOf(alice);
    expect(events.filter((event) => event.action === "user.sign_in_failed" && event.ip === mallory)).toHaveLength(5);
    expect(events.find((event) => event.action === "user.locked_out")).toMatchObject({
      targetUserId: alice.user.id,
      ip: mallory,
    });
  });

  it("leave a different account at another address unaffected", async () => {
    const mallory = newAddress();
    for (let attempt = 0; attempt < 6; attempt++) await loginFrom(mallory, carol.user.username, WRONG);
    expect((await loginFrom(mallory, carol.user.username, PASSWORD)).status).toBe(429);

    const response = await loginFrom(newAddress(), bob.user.username, PASSWORD);
    expect(response.status, await response.clone().text()).toBe(200);
  });

  it("from one address against many names lock that address, and only that address", async () => {
    const mallory = newAddress();
    const guesses = Array.from({ length: 4 }, () => unique("victim"));
    for (const guess of guesses) {
      const response = await loginFrom(mallory, guess, WRONG);
      expect(response.status).toBe(401);
    }
    const fifth = await loginFrom(mallory, unique("victim"), WRONG);
    expect(fifth.status).toBe(429);
    expect((await errorOf(fifth)).code).toBe("locked_out");

    // From that address, nobody gets in now, not even with a right password for an account it never tried.
    const fromMallory = await loginFrom(mallory, dave.user.username, PASSWORD);
    expect(fromMallory.status).toBe(429);
    expect((await errorOf(fromMallory)).code).toBe("locked_out");
    expect(retryAfterOf(fromMallory)).toBeGreaterThan(0);
    // dave's account itself is not locked.
    expect((await loginFrom(newAddress(), dave.user.username, PASSWORD)).status).toBe(200);
  });

  it("back off exponentially: a failure right after the first lock ends locks again, for twice as long", async () => {
    const mallory = newAddress();
    const name = unique("nobody"); // an account that does not exist is throttled just the same
    let lock: Response | undefined;
    for (let attempt = 0; attempt < 5; attempt++) lock = await loginFrom(mallory, name, WRONG);
    expect(lock!.status).toBe(429);
    const firstLock = retryAfterOf(lock!);
    expect(firstLock).toBeLessThanOrEqual(FIRST_LOCK_SECONDS);

    await new Promise((resolve) => setTimeout(resolve, (firstLock + 1) * 1000));
    const afterLock = await loginFrom(mallory, name, WRONG);
    expect(afterLock.status).toBe(429);
    const secondLock = retryAfterOf(afterLock);
    expect(secondLock).toBeGreaterThan(FIRST_LOCK_SECONDS);
    expect(secondLock).toBeLessThanOrEqual(2 * FIRST_LOCK_SECONDS);
  });
});
