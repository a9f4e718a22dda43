/**
 * Abuse controls kept in PostgreSQL so a restart forgets nothing: sign-in failure
 * counters with lockouts, and fixed-window rate limits.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
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

/** The latest lock among `keys` (account and address) still in force, or null. */
export async function lockedUntil(db: Db, input: { keys: string[] }): Promise<Date | null> {
  const [row] = await db
    .select({ until: sql<Date | null>`max(${authThrottles.lockedUntil})` })
    .from(authThrottles)
    .where(and(inArray(authThrottles.key, input.keys), sql`${authThrottles.lockedUntil} > now()`));
  return row?.until ? new Date(row.until) : null;
}

/**
 * Counts an attempt against each key before the credentials are checked, all of them
 * under row locks (taken in key order), so parallel guesses cannot slip past. An
 * attempt meeting a lock in force on any key is refused (`refusedUntil`) and counted
 * nowhere: an attacker's locked address adds nothing to the account's count. The
 * attempt that reaches a key's `freeFailures` sets the next lock in advance
 * (`lockedUntil`), so the others that race it are refused while it is checked. Give
 * back a successful attempt with `releaseAttempt`.
 */
export async function countAttempt(
  db: Db,
  input: { keys: { key: string; policy: LockoutPolicy; canRefuse: boolean }[] },
): Promise<{ refusedUntil: Date | null; lockedUntil: Date | null }> {
  const keys = [...input.keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return db.transaction(async (tx) => {
    const rows = [];
    for (const { key, policy, canRefuse } of keys) {
      await tx.insert(authThrottles).values({ key, failures: 0 }).onConflictDoNothing();
      const [row] = await tx.select().from(authThrottles).where(eq(authThrottles.key, key)).for("update");
      rows.push({ row: row!, policy, canRefuse });
    }
    const now = Date.now();
    const refusals = rows
      .filter(({ canRefuse }) => canRefuse)
      .map(({ row }) => row.lockedUntil && new Date(row.lockedUntil).getTime())
      .filter((until): until is number => typeof until === "number" && until > now);
    if (refusals.length > 0) return { refusedUntil: new Date(Math.max(...refusals)), lockedUntil: null };
    let lockedUntil: Date | null = null;
    for (const { row, policy, canRefuse } of rows) {
      const { key } = row;
      const { freeFailures, baseLockSeconds, maxLockSeconds, forgetAfterSeconds } = policy;
      const isForgotten = now - new Date(row.lastFailureAt).getTime() > forgetAfterSeconds * 1000;
      const failures = isForgotten ? 1 : row.failures + 1;
      const lockSeconds =
        failures >= freeFailures ? Math.min(maxLockSeconds, baseLockSeconds * 2 ** (failures - freeFailures)) : 0;
      const lock = lockSeconds ? new Date(now + lockSeconds * 1000) : null;
      await tx
        .update(authThrottles)
        .set({ failures, lastFailureAt: sql`now()`, lockedUntil: lock })
        .where(eq(authThrottles.key, key));
      if (canRefuse && lock && (!lockedUntil || lock > lockedUntil)) lockedUntil = lock;
    }
    return { refusedUntil: null, lockedUntil };
  });
}

/**
 * Gives back an attempt that succeeded: `clearKeys` are forgotten (the account);
 * `releaseKeys` are counted down by one and lose the lock the attempt set in advance
 * (the address: a correct sign-in must not lock out others behind it).
 */
export async function releaseAttempt(db: Db, input: { clearKeys: string[]; releaseKeys: string[] }): Promise<void> {
  if (input.clearKeys.length) await db.delete(authThrottles).where(inArray(authThrottles.key, input.clearKeys));
  if (!input.releaseKeys.length) return;
  await db
    .update(authThrottles)
    .set({ failures: sql`greatest(${authThrottles.failures} - 1, 0)`, lockedUntil: null })
    .where(inArray(authThrottles.key, input.releaseKeys));
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
