/**
 * Abuse controls: rate limits per route and client address (windows of up to five
 * minutes counted in memory by the RateLimits object while it has room, longer
 * ones and the overflow in PostgreSQL),
 * and sign-in lockouts that back off exponentially, persisted in PostgreSQL. Both
 * answer 429 with Retry-After.
 *
 * Lockouts follow what large providers do, so that nobody can keep someone else out:
 * failures count per (account, address) pair, which locks quickly; per address (and
 * for IPv6 per /64, /56 and /48, so a subscriber's prefix cannot rotate past it),
 * which catches one source trying many names; and per account, a high ceiling that
 * catches a guessing campaign spread over many addresses. That ceiling refuses only
 * devices and addresses the account never signed in from: the owner's browser (its
 * device cookie) and addresses of the owner's earlier sessions still get in. Account
 * recovery is never locked by the account's name alone.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import ipaddr from "ipaddr.js";
import { query, type LockoutPolicy } from "../db/index.ts";
import type { Config } from "./config.ts";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.ts";
import { MEMORY_WINDOW_MAX_SECONDS } from "./rate-limits.ts";

const HOUR_SECONDS = 60 * 60;
/** One account from one address: a person mistyping, or a guesser; locks after five. */
export const PAIR_POLICY: LockoutPolicy = {
  freeFailures: 5,
  baseLockSeconds: 30,
  maxLockSeconds: HOUR_SECONDS,
  // Quiet for an hour, and the count starts again.
  forgetAfterSeconds: HOUR_SECONDS,
};
/** One address across names: a shared office or NAT mistypes now and then; a sprayer does not stop. */
const ADDRESS_POLICY: LockoutPolicy = { ...PAIR_POLICY, freeFailures: 10 };
/** Wider IPv6 prefixes: a /56 is a household or small office, a /48 a site. */
const PREFIX_56_POLICY: LockoutPolicy = { ...PAIR_POLICY, freeFailures: 40 };
const PREFIX_48_POLICY: LockoutPolicy = { ...PAIR_POLICY, freeFailures: 160 };
/** One account from everywhere it was never used: a campaign over many addresses. */
export const ACCOUNT_CEILING_POLICY: LockoutPolicy = { ...PAIR_POLICY, freeFailures: 20, baseLockSeconds: 60 };

/**
 * At most `limit` requests per `windowSeconds` from one address to routes named `name`.
 * With `perPrefix`, an IPv6 client's /56 may also send four times that and its /48
 * sixteen times, so hopping through /64s of one subscriber's prefix runs out too.
 */
export function rateLimit(name: string, limit: number, windowSeconds: number, options: { perPrefix?: boolean } = {}) {
  // A database write per hit cost a fifth of a socket reconnect (bench: catch-up); short windows need none.
  const isInMemory = windowSeconds <= MEMORY_WINDOW_MAX_SECONDS;
  return createMiddleware<AppEnv>(async (c, next) => {
    const ip = c.get("client").ip;
    const buckets = [{ address: addressBucket(ip), limit }];
    if (options.perPrefix && ip?.includes(":")) {
      buckets.push(
        { address: ipv6Prefix(ip, 56), limit: limit * 4 },
        { address: ipv6Prefix(ip, 48), limit: limit * 16 },
      );
    }
    for (const bucket of buckets) {
      const { count, resetsAt } = await countHit(c, name, bucket.address, windowSeconds, isInMemory);
      if (count > bucket.limit) throw tooMany(resetsAt, "too many requests: slow down and try again later");
    }
    await next();
  });
}

/**
 * At most `limit` requests per `windowSeconds` by one signed-in person to routes named
 * `name`, whatever their address: for reads whose cost grows with the channel (pending
 * MLS changes scale with members times devices, history pages, unread counts), which
 * one person with many sockets and sessions could otherwise repeat without end.
 * After requireUser. Counted in memory (short windows only).
 */
export function userRateLimit(name: string, limitOf: number | ((config: Config) => number), windowSeconds: number) {
  if (windowSeconds > MEMORY_WINDOW_MAX_SECONDS) throw new RangeError("a per-person window lasts at most five minutes");
  return createMiddleware<AppEnv>(async (c, next) => {
    const limit = typeof limitOf === "number" ? limitOf : limitOf(c.get("config"));
    const counted = await countHit(c, name, `user:${c.get("userId")}`, windowSeconds, true);
    if (counted.count > limit)
      throw tooMany(counted.resetsAt, "you are asking for this too often: slow down and try again shortly");
    await next();
  });
}

/**
 * Counts one hit of `key` in the `name` window: in memory when the window is short and
 * the RateLimits object has room, otherwise (a longer window, or a flood of keys that
 * filled the memory windows) in PostgreSQL.
 */
async function countHit(c: Context<AppEnv>, name: string, key: string, windowSeconds: number, isInMemory: boolean) {
  const inMemory = isInMemory
    ? await c.env.RATE_LIMITS.getByName(RATE_LIMITS_OBJECT).hit(name, key, windowSeconds)
    : null;
  return inMemory ?? (await query(c.env.DATABASE, "hitRateLimit", { key: `${name}:${key}`, windowSeconds }));
}

/** The one RateLimits object: one count per installation, whichever instance answers. */
export const RATE_LIMITS_OBJECT = "installation";

/**
 * Runs a password hash or check once the sign-in gate (functions/sign-in-gate.ts) has
 * room for it: 503 `sign_in_busy` with Retry-After when the queue is full, or when a
 * flood of failures tripped the breaker and this client never signed in here before.
 */
export async function withPasswordCheck<T>(
  c: Context<AppEnv>,
  isKnownClient: boolean,
  check: () => Promise<T>,
): Promise<T> {
  const config = c.get("config");
  const gate = c.env.RATE_LIMITS.getByName(RATE_LIMITS_OBJECT);
  const answer = await gate.admitPasswordCheck(isKnownClient, {
    queued: config.PASSWORD_CHECKS_QUEUED_MAX,
    failuresPerMinute: config.SIGN_IN_FAILURES_PER_MINUTE,
  });
  if (!answer.admitted) {
    const message =
      answer.reason === "breaker"
        ? "sign-ins from new devices are paused for a moment while this server is under attack: try again shortly, or from a device you used before"
        : "this server is busy checking passwords: try again in a moment";
    throw new AppError(503, "sign_in_busy", message, { "Retry-After": String(answer.retryAfterSeconds) });
  }
  try {
    return await check();
  } finally {
    await gate.releasePasswordCheck(answer.slot).catch(() => undefined);
  }
}

/** Counts a failed sign-in toward the installation's breaker. */
export async function noteFailedSignIn(c: Context<AppEnv>): Promise<void> {
  await c.env.RATE_LIMITS.getByName(RATE_LIMITS_OBJECT)
    .signInFailed()
    .catch(() => undefined);
}

/**
 * The lockout keys of an attempt on `accountName` from this request's address. A known
 * client (a browser or address the account signed in from before) still counts toward
 * its address, but a lock on the address (an office or carrier NAT, a /48) does not
 * refuse it: only its own (account, address) pair can.
 */
export function attemptKeys(
  c: Context<AppEnv>,
  accountName: string,
  options: { countsTowardAccount: boolean; isKnownClient: boolean },
): AttemptKey[] {
  const canRefuse = !options.isKnownClient;
  const [address, prefix56, prefix48] = addressKeys(c);
  const keys: AttemptKey[] = [
    { key: `pair:${accountName}@${addressBucket(c.get("client").ip)}`, policy: PAIR_POLICY, canRefuse: true },
    { key: address!, policy: ADDRESS_POLICY, canRefuse },
  ];
  if (prefix56 && prefix48) {
    keys.push({ key: prefix56, policy: PREFIX_56_POLICY, canRefuse });
    keys.push({ key: prefix48, policy: PREFIX_48_POLICY, canRefuse });
  }
  if (options.countsTowardAccount)
    keys.push({ key: `account:${accountName}`, policy: ACCOUNT_CEILING_POLICY, canRefuse: true });
  return keys;
}

/** The address keys of this request, for a read of their locks (no count). */
export function addressKeys(c: Context<AppEnv>): string[] {
  const ip = c.get("client").ip;
  const keys = [`address:${addressBucket(ip)}`];
  if (ip?.includes(":")) keys.push(`address:${ipv6Prefix(ip, 56)}`, `address:${ipv6Prefix(ip, 48)}`);
  return keys;
}

export interface AttemptKey {
  key: string;
  policy: LockoutPolicy;
  /** Whether a lock on this key refuses the attempt (it is counted either way). */
  canRefuse: boolean;
}

function ipv6Prefix(ip: string, bits: 48 | 56 | 64): string {
  const bytes = ipaddr.IPv6.parse(ip).toByteArray();
  for (let index = bits / 8; index < 16; index++) bytes[index] = 0;
  return `${ipaddr.fromByteArray(bytes).toString()}/${bits}`;
}

/**
 * The unit limits count by: an IPv4 address, or an IPv6 /64, since one subscriber
 * commonly holds a whole /64 and could otherwise rotate addresses past every limit.
 */
export function addressBucket(ip: string | null): string {
  if (!ip) return "unknown";
  if (!ip.includes(":")) return ip;
  return ipv6Prefix(ip, 64);
}

/**
 * One attempt at proving who one is (password, second factor, recovery code),
 * counted before the check so that parallel guesses cannot outrun the lock.
 */
export interface Attempt {
  /** The check failed: throws the lock if this attempt set one, else `error`. */
  failed(error: AppError): Promise<never>;
  /** The check passed: the account's count is forgotten, the address's given back. */
  succeeded(): Promise<void>;
  /** Not a real attempt after all (e.g. the client still has to send its code): given back. */
  cancelled(): Promise<void>;
}

export async function beginAttempt(c: Context<AppEnv>, keys: AttemptKey[]): Promise<Attempt> {
  const counted = await query(c.env.DATABASE, "countAttempt", { keys });
  if (counted.refusedUntil) throw lockedOut(counted.refusedUntil);
  const names = keys.map(({ key }) => key);
  // A success forgets the pair and the account's counts; addresses only get this attempt back.
  const isPersonal = (key: string) => key.startsWith("pair:") || key.startsWith("account:");
  const release = (clearKeys: string[], releaseKeys: string[]) =>
    query(c.env.DATABASE, "releaseAttempt", { clearKeys, releaseKeys });
  return {
    async failed(error) {
      // This attempt reached the limit, so its failure starts the lock it set in advance.
      if (counted.lockedUntil) throw lockedOut(counted.lockedUntil);
      throw error;
    },
    succeeded: () =>
      release(
        names.filter(isPersonal),
        names.filter((key) => !isPersonal(key)),
      ),
    cancelled: () => release([], names),
  };
}

export function lockedOut(until: Date): AppError {
  const seconds = Math.max(1, Math.ceil((new Date(until).getTime() - Date.now()) / 1000));
  const wait = seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  return tooMany(until, `too many failed sign-ins: try again in ${wait}`, "locked_out");
}

function tooMany(until: Date | number, message: string, code = "rate_limited"): AppError {
  const seconds = Math.max(1, Math.ceil((new Date(until).getTime() - Date.now()) / 1000));
  return new AppError(429, code, message, { "Retry-After": String(seconds) });
}
