/**
 * Housekeeping the Database object runs every hour, so tables that grow with use
 * (rate-limit windows, throttles, spent refresh tokens) stay bounded.
 */
import { and, isNotNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { authThrottles, rateLimits, refreshTokens, sessions } from "../schema.ts";

const DAY = sql`interval '1 day'`;

export interface RetentionPolicy {
  /** Spent refresh tokens are kept this long, while a copy could still reveal a theft. */
  spentTokenSeconds: number;
  /** Revoked sessions are kept this long (the sessions list and audit refer to them). */
  endedSessionSeconds: number;
  /** Sessions unseen this long can no longer refresh: they are dead. */
  idleSessionSeconds: number;
}

export async function pruneExpired(db: Db, input: RetentionPolicy): Promise<Record<string, number>> {
  const windows = await db
    .delete(rateLimits)
    .where(lt(rateLimits.windowStart, sql`now() - ${DAY}`))
    .returning({ key: rateLimits.key });
  const throttles = await db
    .delete(authThrottles)
    .where(
      and(
        lt(authThrottles.lastFailureAt, sql`now() - ${DAY}`),
        or(sql`${authThrottles.lockedUntil} is null`, lt(authThrottles.lockedUntil, sql`now()`)),
      ),
    )
    .returning({ key: authThrottles.key });
  const tokens = await db
    .delete(refreshTokens)
    .where(
      and(
        isNotNull(refreshTokens.rotatedAt),
        lt(refreshTokens.createdAt, sql`now() - make_interval(secs => ${input.spentTokenSeconds})`),
      ),
    )
    .returning({ tokenHash: refreshTokens.tokenHash });
  const ended = await db
    .delete(sessions)
    .where(
      or(
        lt(sessions.revokedAt, sql`now() - make_interval(secs => ${input.endedSessionSeconds})`),
        lt(sessions.lastSeenAt, sql`now() - make_interval(secs => ${input.idleSessionSeconds})`),
      ),
    )
    .returning({ id: sessions.id });
  return { windows: windows.length, throttles: throttles.length, tokens: tokens.length, sessions: ended.length };
}
