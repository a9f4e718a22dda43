import { beforeAll, describe, expect, it } from "vitest";
import { auditOf, errorOf, newAddress, requestFrom } from "./accounts-fixtures.ts";
import { json, PASSWORD, register, unique, type Person } from "./fixtures.ts";

const WRONG = "not the right password";
const FIRST_LOCK_SECONDS = 30;
/** Failures from addresses the account never used before its ceiling refuses strangers (functions/abuse.ts). */
const ACCOUNT_CEILING = 20;
/** Names one address may get wrong before it is locked. */
const ADDRESS_FREE_FAILURES = 10;

let alice: Person;
let bob: Person;
let carol: Person;
let dave: Person;
let erin: Person;
let frank: Person;
let grace: Person;

beforeAll(async () => {
  const people = await Promise.all(
    ["alice", "bob", "carol", "dave", "erin", "frank", "grace"].map((name) => register(unique(name))),
  );
  [alice, bob, carol, dave, erin, frank, grace] = people as [Person, Person, Person, Person, Person, Person, Person];
});

const loginFrom = (address: string, username: string, password: string, headers: Record<string, string> = {}) =>
  requestFrom(address, "/api/auth/login", {
    ...json("POST", { username, password }),
    headers: { "Content-Type": "application/json", ...headers },
  });

/** The browser's memory of accounts that signed in on it (Set-Cookie of a sign-in), as a Cookie header. */
function deviceCookieOf(response: Response): string {
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith("chatalot_device="));
  expect(cookie, "a device cookie").toBeDefined();
  return cookie!.split(";")[0]!;
}

/** Wrong passwords for `username`, each from a fresh address: a campaign no address limit sees. */
async function campaign(username: string, attempts: number): Promise<Response[]> {
  const answers: Response[] = [];
  for (let index = 0; index < attempts; index++) answers.push(await loginFrom(newAddress(), username, WRONG));
  return answers;
}

function retryAfterOf(response: Response): number {
  const header = response.headers.get("Retry-After");
  expect(header, "a Retry-After header").toMatch(/^\d+$/);
  return Number(header);
}

// Independent people and addresses, so the tests run side by side (one of them waits out a lock);
// side by side, their password hashes queue behind each other, hence the generous timeout.
describe.concurrent("failed sign-ins", { timeout: 120_000 }, () => {
  it("lock an account at the guessing address after five wrong passwords, even for the right one, and nowhere else", async () => {
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

    // alice herself, from anywhere else, signs in: guessing from one address locks only that address out.
    const fromHome = await loginFrom(newAddress(), name, PASSWORD);
    expect(fromHome.status, await fromHome.clone().text()).toBe(200);
    // Her security log tells her what happened.
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
    for (let index = 0; index < ADDRESS_FREE_FAILURES - 1; index++) {
      const response = await loginFrom(mallory, unique("victim"), WRONG);
      expect(response.status).toBe(401);
    }
    const last = await loginFrom(mallory, unique("victim"), WRONG);
    expect(last.status).toBe(429);
    expect((await errorOf(last)).code).toBe("locked_out");

    // From that address, nobody new gets in now, not even with a right password for an account it never tried.
    const fromMallory = await loginFrom(mallory, dave.user.username, PASSWORD);
    expect(fromMallory.status).toBe(429);
    expect((await errorOf(fromMallory)).code).toBe("locked_out");
    expect(retryAfterOf(fromMallory)).toBeGreaterThan(0);
    // dave's account itself is not locked.
    expect((await loginFrom(newAddress(), dave.user.username, PASSWORD)).status).toBe(200);
  });

  it("count a whole IPv6 /56 as one source too, so hopping /64s within it runs out", async () => {
    const prefix = `2001:db8:${(0x1000 + Math.floor(Math.random() * 0xef00)).toString(16)}`;
    // 40 failures within the /56, never more than 9 from one /64: only the /56 can count them.
    let last: Response | undefined;
    for (let index = 0; index < 40; index++) {
      // The fourth group's high byte stays 00 (one /56); its low byte makes each a /64 of its own.
      const address = `${prefix}:00${index.toString(16).padStart(2, "0")}::1`;
      last = await loginFrom(address, unique("victim"), WRONG);
    }
    expect(last!.status).toBe(429);
    expect((await loginFrom(`${prefix}:00ff::1`, dave.user.username, PASSWORD)).status).toBe(429);
    // Outside that /56, dave is fine.
    expect((await loginFrom(`${prefix}:0100::1`, dave.user.username, PASSWORD)).status).toBe(200);
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

describe.concurrent("a guessing campaign from many addresses", { timeout: 120_000 }, () => {
  it("refuses strangers once the account's ceiling is reached, but never its owner's browser", async () => {
    // erin's browser signed in once: it remembers her.
    const home = newAddress();
    const signedIn = await loginFrom(home, erin.user.username, PASSWORD);
    expect(signedIn.status).toBe(200);
    const browser = deviceCookieOf(signedIn);

    const answers = await campaign(erin.user.username, ACCOUNT_CEILING);
    expect(answers.at(-1)!.status).toBe(429);
    // A stranger's device from a new address is refused, even with the right password...
    const stranger = await loginFrom(newAddress(), erin.user.username, PASSWORD);
    expect(stranger.status).toBe(429);
    expect((await errorOf(stranger)).code).toBe("locked_out");
    // ...but erin's own browser gets in from a new address (a café), and so does her home address.
    const cafe = await loginFrom(newAddress(), erin.user.username, PASSWORD, { Cookie: browser });
    expect(cafe.status, await cafe.clone().text()).toBe(200);
    expect((await loginFrom(home, erin.user.username, PASSWORD)).status).toBe(200);
  });

  it("keeps a locked shared address from refusing someone who signed in from it before", async () => {
    const henry = await register(unique("henry"));
    const office = newAddress();
    const atWork = await loginFrom(office, henry.user.username, PASSWORD);
    expect(atWork.status).toBe(200);
    const browser = deviceCookieOf(atWork);
    for (let index = 0; index < ADDRESS_FREE_FAILURES; index++) await loginFrom(office, unique("victim"), WRONG);
    // A stranger behind the office's address is refused; henry, known there, is not.
    expect((await loginFrom(office, dave.user.username, PASSWORD)).status).toBe(429);
    expect((await loginFrom(office, henry.user.username, PASSWORD, { Cookie: browser })).status).toBe(200);
  });

  it("never lets recovery be locked by the account's name alone", async () => {
    await campaign(frank.user.username, ACCOUNT_CEILING);
    expect((await loginFrom(newAddress(), frank.user.username, PASSWORD)).status).toBe(429);
    const recovered = await requestFrom(
      newAddress(),
      "/api/auth/recover",
      json("POST", {
        username: frank.user.username,
        recoveryCode: frank.recoveryCode,
        newPassword: "a brand new passphrase",
      }),
    );
    expect(recovered.status, await recovered.clone().text()).toBe(200);
  });

  it("counts nothing toward the account from an address that is already locked", async () => {
    const mallory = newAddress();
    for (let attempt = 0; attempt < ACCOUNT_CEILING + 10; attempt++)
      await loginFrom(mallory, grace.user.username, WRONG);
    // Only mallory's first five counted toward grace's ceiling: a stranger's device still gets in.
    const fresh = await loginFrom(newAddress(), grace.user.username, PASSWORD);
    expect(fresh.status, await fresh.clone().text()).toBe(200);
  });
});
