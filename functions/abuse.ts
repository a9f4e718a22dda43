/**
 * Abuse controls, persisted in PostgreSQL: rate limits per route and client
 * address, and sign-in lockouts per account and per address that back off
 * exponentially. Both answer 429 with Retry-After.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import ipaddr from "ipaddr.js";
import { query, type LockoutPolicy } from "../db/index.ts";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.ts";

export const LOCKOUT_POLICY: LockoutPolicy = {
  freeFailures: 5,
  baseLockSeconds: 30,
  maxLockSeconds: 60 * 60,
  forgetAfterSeconds: 24 * 60 * 60,
};

/** At most `limit` requests per `windowSeconds` from one address to routes named `name`. */
export function rateLimit(name: string, limit: number, windowSeconds: number) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const address = addressBucket(c.get("client").ip);
    const { count, resetsAt } = await query(c.env.DATABASE, "hitRateLimit", {
      key: `${name}:${address}`,
      windowSeconds,
    });
    if (count > limit) throw tooMany(resetsAt, "too many requests: slow down and try again later");
    await next();
  });
}

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

export async function refuseIfLocked(c: Context<AppEnv>, keys: string[]): Promise<void> {
  const until = await query(c.env.DATABASE, "lockedUntil", { keys });
  if (until) throw lockedOut(until);
}

/** Counts a failed sign-in; returns the lock it caused, if any. */
export function recordFailedSignIn(c: Context<AppEnv>, keys: string[]): Promise<Date | null> {
  return query(c.env.DATABASE, "recordFailure", { keys, policy: LOCKOUT_POLICY });
}

export function lockedOut(until: Date): AppError {
  const seconds = Math.max(1, Math.ceil((new Date(until).getTime() - Date.now()) / 1000));
  const wait = seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  return tooMany(until, `too many failed sign-ins: try again in ${wait}`, "locked_out");
}

function tooMany(until: Date, message: string, code = "rate_limited"): AppError {
  const seconds = Math.max(1, Math.ceil((new Date(until).getTime() - Date.now()) / 1000));
  return new AppError(429, code, message, { "Retry-After": String(seconds) });
}
