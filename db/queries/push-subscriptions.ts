/**
 * Web Push subscriptions, one per signed-in browser (session). A subscription lives
 * only as long as its session: signing out deletes it, and a session unseen for
 * PUSH_IDLE_SESSION_SECONDS receives nothing and is swept by the hourly housekeeping.
 */
import { and, desc, eq, inArray, isNotNull, isNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db.ts";
import { pushSubscriptions, sessions, users } from "../schema.ts";

/** A device unused this long gets no pushes (issue #23: 30 days). */
const PUSH_IDLE_SESSION_SECONDS = 30 * 24 * 60 * 60;

export interface PushTarget {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/**
 * Stores the browser's subscription for this session, replacing the session's earlier
 * one (a browser holds one; a new one means a new key or a resubscription). An endpoint
 * already stored moves to this session: the browser is the latest signed-in person's.
 * Past `maxPerUser`, the person's oldest subscriptions go.
 */
export async function savePushSubscription(
  db: Db,
  input: { userId: string; sessionId: string; endpoint: string; p256dh: string; auth: string; maxPerUser: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    // One person's subscriptions change one at a time, so the cap holds under races.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`chatalot.push:${input.userId}`}))`);
    await tx
      .delete(pushSubscriptions)
      .where(and(eq(pushSubscriptions.sessionId, input.sessionId), ne(pushSubscriptions.endpoint, input.endpoint)));
    await tx
      .insert(pushSubscriptions)
      .values({
        userId: input.userId,
        sessionId: input.sessionId,
        endpoint: input.endpoint,
        p256dh: input.p256dh,
        auth: input.auth,
      })
      .onConflictDoUpdate({
        target: pushSubscriptions.endpoint,
        set: {
          userId: input.userId,
          sessionId: input.sessionId,
          p256dh: input.p256dh,
          auth: input.auth,
          createdAt: sql`now()`,
          lastSuccessAt: null,
        },
      });
    const beyond = tx
      .select({ id: pushSubscriptions.id })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.userId, input.userId))
      .orderBy(desc(pushSubscriptions.createdAt), desc(pushSubscriptions.id))
      .offset(input.maxPerUser);
    await tx.delete(pushSubscriptions).where(inArray(pushSubscriptions.id, beyond));
  });
}

/** Deletes the person's subscription with this endpoint; returns whether there was one. */
export async function deletePushSubscription(db: Db, input: { userId: string; endpoint: string }): Promise<boolean> {
  const removed = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, input.userId), eq(pushSubscriptions.endpoint, input.endpoint)))
    .returning({ id: pushSubscriptions.id });
  return removed.length > 0;
}

/** How many subscriptions the person holds (for tests and the account's own view). */
export async function pushSubscriptionCount(db: Db, input: { userId: string }): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, input.userId));
  return row?.count ?? 0;
}

/** A subscription's session is live: not revoked, and seen within PUSH_IDLE_SESSION_SECONDS. */
const isLiveSession = () =>
  and(
    isNull(sessions.revokedAt),
    sql`${sessions.lastSeenAt} > now() - make_interval(secs => ${PUSH_IDLE_SESSION_SECONDS})`,
  );

/**
 * The person's live push targets as one json column, for a statement that reads people
 * (the notification decision's, db/queries/notify-facts.ts): the subscriptions are read
 * with the decision, not by a statement of their own per push. The account's own state
 * (suspended, deleted) is that statement's to check.
 */
export const livePushTargetsOf = (person: SQL) =>
  sql<PushTarget[]>`(select coalesce(json_agg(json_build_object('id', ${pushSubscriptions.id},
    'endpoint', ${pushSubscriptions.endpoint}, 'p256dh', ${pushSubscriptions.p256dh}, 'auth', ${pushSubscriptions.auth})), '[]'::json)
    from ${pushSubscriptions} inner join ${sessions} on ${sessions.id} = ${pushSubscriptions.sessionId}
    where ${pushSubscriptions.userId} = ${person} and ${isLiveSession()})`;

/** The person holds at least one live push target: whom the decision need not consider otherwise. */
export const hasLivePushTarget = (person: SQL) =>
  sql<boolean>`exists (select 1 from ${pushSubscriptions} inner join ${sessions} on ${sessions.id} = ${pushSubscriptions.sessionId}
    where ${pushSubscriptions.userId} = ${person} and ${isLiveSession()})`;

/**
 * Where a push for this person goes right now: subscriptions of live sessions (not
 * revoked, seen within PUSH_IDLE_SESSION_SECONDS) of an account neither suspended nor
 * deleted. Read with each decision (livePushTargetsOf) and again before every retry,
 * so a sign-out stops pushes at once.
 */
export async function pushTargetsOf(db: Db, input: { userId: string }): Promise<PushTarget[]> {
  return db
    .select({
      id: pushSubscriptions.id,
      endpoint: pushSubscriptions.endpoint,
      p256dh: pushSubscriptions.p256dh,
      auth: pushSubscriptions.auth,
    })
    .from(pushSubscriptions)
    .innerJoin(sessions, eq(sessions.id, pushSubscriptions.sessionId))
    .innerJoin(users, eq(users.id, pushSubscriptions.userId))
    .where(
      and(
        eq(pushSubscriptions.userId, input.userId),
        isLiveSession(),
        isNull(users.suspendedAt),
        isNull(users.deletedAt),
      ),
    );
}

/** The push service answered 404 or 410: these subscriptions are gone for good. */
export async function removePushSubscriptions(db: Db, input: { ids: string[] }): Promise<number> {
  if (input.ids.length === 0) return 0;
  const removed = await db
    .delete(pushSubscriptions)
    .where(inArray(pushSubscriptions.id, input.ids))
    .returning({ id: pushSubscriptions.id });
  return removed.length;
}

/** The push service accepted a push for these subscriptions. */
export async function markPushDelivered(db: Db, input: { ids: string[] }): Promise<void> {
  if (input.ids.length === 0) return;
  await db
    .update(pushSubscriptions)
    .set({ lastSuccessAt: sql`now()` })
    .where(inArray(pushSubscriptions.id, input.ids));
}

/** Deletes the subscriptions of these sessions (signed out or revoked). */
export async function deleteSessionPushSubscriptions(db: Db, input: { sessionIds: string[] }): Promise<number> {
  if (input.sessionIds.length === 0) return 0;
  const removed = await db
    .delete(pushSubscriptions)
    .where(inArray(pushSubscriptions.sessionId, input.sessionIds))
    .returning({ id: pushSubscriptions.id });
  return removed.length;
}

/** Housekeeping: subscriptions of revoked sessions, and of sessions idle past the limit. */
export async function prunePushSubscriptions(db: Db): Promise<number> {
  const dead = db
    .select({ id: sessions.id })
    .from(sessions)
    .where(
      or(
        isNotNull(sessions.revokedAt),
        lt(sessions.lastSeenAt, sql`now() - make_interval(secs => ${PUSH_IDLE_SESSION_SECONDS})`),
      ),
    );
  const removed = await db
    .delete(pushSubscriptions)
    .where(inArray(pushSubscriptions.sessionId, dead))
    .returning({ id: pushSubscriptions.id });
  return removed.length;
}
