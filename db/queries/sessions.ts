/**
 * Sessions and their refresh tokens. Tokens arrive here already hashed; the raw
 * values never reach the database.
 */
import { and, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { refreshTokens, sessions, users } from "../schema.ts";
import { preparedFor, UNNAMED } from "./prepared.ts";
import { deleteSessionPushSubscriptions } from "./push-subscriptions.ts";
import type { UserRecord } from "./users.ts";

export interface SessionRecord {
  id: string;
  userId: string;
  deviceName: string | null;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  revokedAt: Date | null;
}

/** Sessions touched within this long are not re-stamped on every request. */
const LAST_SEEN_RESOLUTION = sql`interval '1 minute'`;

export async function createSession(
  db: Db,
  input: { userId: string; tokenHash: string; deviceName: string | null; userAgent: string | null; ip: string | null },
): Promise<SessionRecord> {
  return db.transaction(async (tx) => {
    const [session] = await tx
      .insert(sessions)
      .values({ userId: input.userId, deviceName: input.deviceName, userAgent: input.userAgent, ip: input.ip })
      .returning();
    await tx.insert(refreshTokens).values({ tokenHash: input.tokenHash, sessionId: session!.id });
    return session!;
  });
}

export type RotateResult =
  | { status: "ok"; session: SessionRecord; user: UserRecord }
  | { status: "invalid" }
  /** The token was swapped a moment ago by a concurrent request (another tab): retry with the new cookie. */
  | { status: "conflict" }
  | { status: "reused"; sessionId: string; userId: string }
  /** The session reached its absolute lifetime: it is ended, however fresh the token. */
  | { status: "expired"; sessionId: string; userId: string };

/**
 * Swaps a refresh token for a new one. A token that was already swapped means a
 * copy is in someone else's hands: the whole session is revoked.
 */
export async function rotateRefreshToken(
  db: Db,
  input: {
    tokenHash: string;
    newTokenHash: string;
    ip: string | null;
    maxAgeSeconds: number;
    graceSeconds: number;
    sessionMaxAgeSeconds: number;
  },
): Promise<RotateResult> {
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ token: refreshTokens, session: sessions, user: users })
      .from(refreshTokens)
      .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(refreshTokens.tokenHash, input.tokenHash))
      .for("update", { of: [refreshTokens, sessions] });
    if (!found || found.session.revokedAt || found.user.suspendedAt || found.user.deletedAt)
      return { status: "invalid" };
    const ageMs = Date.now() - new Date(found.token.createdAt).getTime();
    if (found.token.rotatedAt && (await isRace(tx as unknown as Db, found.token, input.graceSeconds))) {
      // Two tabs refreshing at once present the same token: the second learns nothing
      // (no token is issued) and is told to retry, instead of ending the session.
      return { status: "conflict" };
    }
    if (found.token.rotatedAt) {
      await tx
        .update(sessions)
        .set({ revokedAt: sql`now()`, revokedReason: "refresh_token_reuse" })
        .where(eq(sessions.id, found.session.id));
      return { status: "reused", sessionId: found.session.id, userId: found.user.id };
    }
    if (ageMs > input.maxAgeSeconds * 1000) return { status: "invalid" };
    if (Date.now() - new Date(found.session.createdAt).getTime() > input.sessionMaxAgeSeconds * 1000) {
      await tx
        .update(sessions)
        .set({ revokedAt: sql`now()`, revokedReason: "session_expired" })
        .where(eq(sessions.id, found.session.id));
      return { status: "expired", sessionId: found.session.id, userId: found.user.id };
    }
    await tx
      .update(refreshTokens)
      .set({ rotatedAt: sql`now()` })
      .where(eq(refreshTokens.tokenHash, input.tokenHash));
    await tx.insert(refreshTokens).values({ tokenHash: input.newTokenHash, sessionId: found.session.id });
    const [session] = await tx
      .update(sessions)
      .set({ lastSeenAt: sql`now()`, ip: input.ip ?? found.session.ip })
      .where(eq(sessions.id, found.session.id))
      .returning();
    return { status: "ok", session: session!, user: found.user };
  });
}

/**
 * A spent token presented again is a race, not a theft, while it was swapped only
 * moments ago and its successor has not been spent yet.
 */
async function isRace(
  db: Db,
  token: { tokenHash: string; sessionId: string; rotatedAt: Date | null },
  graceSeconds: number,
): Promise<boolean> {
  if (!token.rotatedAt || Date.now() - new Date(token.rotatedAt).getTime() >= graceSeconds * 1000) return false;
  // The successor was created when this token was spent; has any token of the session been spent since?
  const [later] = await db
    .select({ tokenHash: refreshTokens.tokenHash })
    .from(refreshTokens)
    .where(
      and(
        eq(refreshTokens.sessionId, token.sessionId),
        ne(refreshTokens.tokenHash, token.tokenHash),
        sql`${refreshTokens.rotatedAt} is not null`,
        sql`${refreshTokens.rotatedAt} >= (select rotated_at from refresh_tokens where token_hash = ${token.tokenHash})`,
      ),
    )
    .limit(1);
  return !later;
}

/**
 * The live session and its user for an access token's session id, or null when the
 * session was revoked or the user suspended or deleted. Runs on every request, so it
 * is one statement: the last-seen stamp rides along as a data-modifying CTE.
 */
export async function activeSession(
  db: Db,
  input: { sessionId: string; userId: string },
): Promise<{ session: SessionRecord; user: UserRecord } | null> {
  const [found] = await activeSessionQuery(db).execute(input);
  return found ?? null;
}

const activeSessionQuery = preparedFor((db) => {
  const sessionId = sql.placeholder("sessionId");
  const userId = sql.placeholder("userId");
  const touch = db.$with("touch").as(
    db
      .update(sessions)
      .set({ lastSeenAt: sql`now()` })
      .where(
        and(
          eq(sessions.id, sessionId),
          eq(sessions.userId, userId),
          isNull(sessions.revokedAt),
          sql`${sessions.lastSeenAt} < now() - ${LAST_SEEN_RESOLUTION}`,
        ),
      )
      .returning({ id: sessions.id }),
  );
  return db
    .with(touch)
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, sessionId),
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        isNull(users.suspendedAt),
        isNull(users.deletedAt),
      ),
    )
    .prepare(UNNAMED);
});

/** Live sessions: not revoked, and seen within `activeWithinSeconds` (the refresh token's lifetime). */
export async function sessionsForUser(
  db: Db,
  input: { userId: string; activeWithinSeconds: number },
): Promise<SessionRecord[]> {
  return db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, input.userId),
        isNull(sessions.revokedAt),
        sql`${sessions.lastSeenAt} > now() - make_interval(secs => ${input.activeWithinSeconds})`,
      ),
    )
    .orderBy(desc(sessions.lastSeenAt));
}

/** Revokes one session of the user; returns whether it was live. */
export async function revokeSession(
  db: Db,
  input: { userId: string; sessionId: string; reason: string },
): Promise<boolean> {
  const revoked = await db.transaction(async (tx) => {
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: sql`now()`, revokedReason: input.reason })
      .where(and(eq(sessions.id, input.sessionId), eq(sessions.userId, input.userId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    // A signed-out device stops receiving pushes at once (issue #23).
    await deleteSessionPushSubscriptions(tx as unknown as Db, { sessionIds: ended.map((session) => session.id) });
    return ended;
  });
  return revoked.length > 0;
}

/** Revokes every live session of the user except `keepSessionId`; returns the ids revoked. */
export async function revokeSessions(
  db: Db,
  input: { userId: string; keepSessionId: string | null; reason: string },
): Promise<string[]> {
  const revoked = await db.transaction(async (tx) => {
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: sql`now()`, revokedReason: input.reason })
      .where(
        and(
          eq(sessions.userId, input.userId),
          isNull(sessions.revokedAt),
          input.keepSessionId ? ne(sessions.id, input.keepSessionId) : undefined,
        ),
      )
      .returning({ id: sessions.id });
    // Revoked devices stop receiving pushes at once (issue #23).
    await deleteSessionPushSubscriptions(tx as unknown as Db, { sessionIds: ended.map((session) => session.id) });
    return ended;
  });
  return revoked.map((row) => row.id);
}

/**
 * Why a session that failed the live check ended, for the words the person sees:
 * the account suspended or deleted, or the reason it was revoked with. Only read on
 * that failure path, so the live check itself stays one statement.
 */
export async function sessionEndReason(
  db: Db,
  input: { sessionId: string; userId: string },
): Promise<"account suspended" | "account deleted" | string | null> {
  const [found] = await db
    .select({ suspendedAt: users.suspendedAt, deletedAt: users.deletedAt, revokedReason: sessions.revokedReason })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, input.sessionId), eq(sessions.userId, input.userId)));
  if (!found) return null;
  if (found.deletedAt) return "account deleted";
  if (found.suspendedAt) return "account suspended";
  return found.revokedReason;
}

/** Of these sessions, those still live: not revoked, their user neither suspended nor deleted. */
/** Whether any session of the user, live or ended, was last seen from `ip`. */
export async function hasSignedInFrom(db: Db, input: { userId: string; ip: string }): Promise<boolean> {
  const [found] = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.userId, input.userId), eq(sessions.ip, input.ip)))
    .limit(1);
  return found !== undefined;
}

export async function liveSessionIds(db: Db, input: { sessionIds: string[] }): Promise<string[]> {
  if (input.sessionIds.length === 0) return [];
  const rows = await db
    .select({ id: sessions.id })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        inArray(sessions.id, input.sessionIds),
        isNull(sessions.revokedAt),
        isNull(users.suspendedAt),
        isNull(users.deletedAt),
      ),
    );
  return rows.map((row) => row.id);
}
