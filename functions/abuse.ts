/**
 * Abuse controls: rate limits per route and client address (windows of up to five
 * minutes counted in memory by the RateLimits object while it has room, longer
 * ones and the overflow in PostgreSQL),
 * and sign-in lockouts per account and per address that back off exponentially,
 * persisted in PostgreSQL. Both answer 429 with Retry-After.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import ipaddr from "ipaddr.js";
import { query, type LockoutPolicy } from "../db/index.ts";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.ts";
import { MEMORY_WINDOW_MAX_SECONDS } from "./rate-limits.ts";

export const LOCKOUT_POLICY: LockoutPolicy = {
  freeFailures: 5,
  baseLockSeconds: 30,
  maxLockSeconds: 60 * 60,
  // Quiet for an hour, and the count starts again: typos behind one shared address
  // should not add up to a lock for everyone behind it.
  forgetAfterSeconds: 60 * 60,
};

/** At most `limit` requests per `windowSeconds` from one address to routes named `name`. */
export function rateLimit(name: string, limit: number, windowSeconds: number) {
  // A database write per hit cost a fifth of a socket reconnect (bench: catch-up); short windows need none.
  const isInMemory = windowSeconds <= MEMORY_WINDOW_MAX_SECONDS;
  return createMiddleware<AppEnv>(async (c, next) => {
    const address = addressBucket(c.get("client").ip);
    const inMemory = isInMemory
      ? await c.env.RATE_LIMITS.getByName(RATE_LIMITS_OBJECT).hit(name, address, windowSeconds)
      : null;
    // Null also when a flood of addresses has filled the memory windows: this one is then counted here.
    const { count, resetsAt } =
      inMemory ?? (await query(c.env.DATABASE, "hitRateLimit", { key: `${name}:${address}`, windowSeconds }));
    if (count > limit) throw tooMany(resetsAt, "too many requests: slow down and try again later");
    await next();
  });
}

/** The one RateLimits object: one count per installation, whichever instance answers. */
const RATE_LIMITS_OBJECT = "installation";

export const accountKey = (name: string) => `account:${name}`;
export const addressKey = (c: Context<AppEnv>) => `address:${addressBucket(c.get("client").ip)}`;

/**
 * The unit limits count by: an IPv4 address, or an IPv6 /64, since one subscriber
 * commonly holds a whole /64 and could otherwise rotate addresses past every limit.
 */
export function addressBucket(ip: string | null): string {
  if (!ip) return "unknown";
  if (!ip.includes(":")) return ip;
  return `${ipaddr.IPv6.parse(ip).toNormalizedString().split(":").slice(0, 4).join(":")}::/64`;
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

export async function beginAttempt(c: Context<AppEnv>, keys: { account: string; address?: string }): Promise<Attempt> {
  const all = keys.address ? [keys.account, keys.address] : [keys.account];
  const counted = await query(c.env.DATABASE, "countAttempt", { keys: all, policy: LOCKOUT_POLICY });
  if (counted.refusedUntil) throw lockedOut(counted.refusedUntil);
  const release = (clearKeys: string[], releaseKeys: string[]) =>
    query(c.env.DATABASE, "releaseAttempt", { clearKeys, releaseKeys });
  return {
    async failed(error) {
      // This attempt reached the limit, so its failure starts the lock it set in advance.
      if (counted.lockedUntil) throw lockedOut(counted.lockedUntil);
      throw error;
    },
    succeeded: () => release([keys.account], keys.address ? [keys.address] : []),
    cancelled: () => release([], all),
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
