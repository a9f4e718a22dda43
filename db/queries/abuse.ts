/**
 * Abuse controls kept in PostgreSQL so a restart forgets nothing: sign-in failure
 * counters with lockouts, and fixed-window rate limits.
 */
import { inArray, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { authThrottles, rateLimits } from "../schema.ts";

export interface LockoutPolicy {
  /** Failures allowed before the first lock. */
  freeFailures: number;
  /** The first lock; each further failure doubles it. */
  baseLockSeconds: number;
  maxLockSeconds: number;
  /** Failures older than this are forgotten. */
  forgetAfterSeconds: number;
}

/** The latest lock among `keys` (account and address), or null. */
export async function lockedUntil(db: Db, input: { keys: string[] }): Promise<Date | null> {
  const rows = await db
    .select({ lockedUntil: authThrottles.lockedUntil })
    .from(authThrottles)
    .where(inArray(authThrottles.key, input.keys));
  const now = Date.now();
  const locks = rows.map((row) => row.lockedUntil).filter((lock): lock is Date => !!lock && new Date(lock).getTime() > now);
  return locks.length ? new Date(Math.max(...locks.map((lock) => new Date(lock).getTime()))) : null;
}

/** Counts a failed sign-in against each key and returns the resulting lock, if any. */
export async function recordFailure(db: Db, input: { keys: string[]; policy: LockoutPolicy }): Promise<Date | null> {
  const { freeFailures, baseLockSeconds, maxLockSeconds, forgetAfterSeconds } = input.policy;
  let latest: Date | null = null;
  for (const key of input.keys) {
    const failures = sql`(case when ${authThrottles.lastFailureAt} < now() - make_interval(secs => ${forgetAfterSeconds}) then 1 else ${authThrottles.failures} + 1 end)`;
    const [row] = await db
      .insert(authThrottles)
      .values({ key, failures: 1, lockedUntil: freeFailures <= 1 ? sql`now() + make_interval(secs => ${baseLockSeconds})` : null })
      .onConflictDoUpdate({
        target: authThrottles.key,
        set: {
          failures,
          lastFailureAt: sql`now()`,
          lockedUntil: sql`case when ${failures} >= ${freeFailures}
            then now() + make_interval(secs => least(${maxLockSeconds}::float8, ${baseLockSeconds}::float8 * power(2, ${failures} - ${freeFailures})))
            else null end`,
        },
      })
      .returning({ lockedUntil: authThrottles.lockedUntil });
    const lock = row?.lockedUntil ? new Date(row.lockedUntil) : null;
    if (lock && (!latest || lock > latest)) latest = lock;
  }
  return latest;
}

export async function clearFailures(db: Db, input: { keys: string[] }): Promise<void> {
  await db.delete(authThrottles).where(inArray(authThrottles.key, input.keys));
}

/** Counts one request in the key's window; returns the count and when the window resets. */
export async function hitRateLimit(
  db: Db,
  input: { key: string; windowSeconds: number },
): Promise<{ count: number; resetsAt: Date }> {
  const expired = sql`${rateLimits.windowStart} <= now() - make_interval(secs => ${input.windowSeconds})`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key: input.key, windowStart: sql`now()`, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${expired} then 1 else ${rateLimits.count} + 1 end`,
        windowStart: sql`case when ${expired} then now() else ${rateLimits.windowStart} end`,
      },
    })
    .returning({ count: rateLimits.count, windowStart: rateLimits.windowStart });
  return { count: row!.count, resetsAt: new Date(new Date(row!.windowStart).getTime() + input.windowSeconds * 1000) };
}
