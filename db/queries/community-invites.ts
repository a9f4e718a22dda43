/** Community invites: codes stored as hashes, uses counted atomically, bans checked. */
import { and, desc, eq, gt, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { communities, communityBans, communityInvites, communityMembers, membershipEvents } from "../schema.ts";
import type { CommunityRecord } from "./communities.ts";
import { lockMembership } from "./membership-lock.ts";

export async function createCommunityInvite(
  db: Db,
  input: { communityId: string; codeHash: string; createdBy: string; expiresAt: Date | null; maxUses: number | null },
) {
  const [invite] = await db.insert(communityInvites).values(input).returning();
  return invite!;
}

export async function communityInvitesOf(db: Db, input: { communityId: string }) {
  return db
    .select()
    .from(communityInvites)
    .where(eq(communityInvites.communityId, input.communityId))
    .orderBy(desc(communityInvites.createdAt));
}

export async function revokeCommunityInvite(
  db: Db,
  input: { communityId: string; inviteId: string },
): Promise<boolean> {
  const revoked = await db
    .update(communityInvites)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(communityInvites.id, input.inviteId),
        eq(communityInvites.communityId, input.communityId),
        isNull(communityInvites.revokedAt),
      ),
    )
    .returning({ id: communityInvites.id });
  return revoked.length > 0;
}

export type AcceptInviteResult =
  | { ok: true; community: CommunityRecord; isAlreadyMember: boolean }
  | { ok: false; reason: "invalid_invite" | "banned" };

/**
 * Joins through an invite. A banned user is refused and an existing member is let
 * through, both without spending a use; otherwise the use is counted atomically.
 */
export async function acceptCommunityInvite(
  db: Db,
  input: { codeHash: string; userId: string },
): Promise<AcceptInviteResult> {
  return db.transaction(async (tx) => {
    const [invite] = await tx.select().from(communityInvites).where(eq(communityInvites.codeHash, input.codeHash));
    if (!invite) return { ok: false, reason: "invalid_invite" } as const;
    // Serialized with a ban of the same person, so a ban cannot lose to an accept in flight.
    await lockMembership(tx as unknown as Db, invite.communityId, input.userId);
    const [ban] = await tx
      .select()
      .from(communityBans)
      .where(and(eq(communityBans.communityId, invite.communityId), eq(communityBans.userId, input.userId)));
    if (ban) return { ok: false, reason: "banned" } as const;
    const [community] = await tx.select().from(communities).where(eq(communities.id, invite.communityId));
    const [member] = await tx
      .select()
      .from(communityMembers)
      .where(and(eq(communityMembers.communityId, invite.communityId), eq(communityMembers.userId, input.userId)));
    if (member) return { ok: true, community: community!, isAlreadyMember: true } as const;
    const [used] = await tx
      .update(communityInvites)
      .set({ uses: sql`${communityInvites.uses} + 1` })
      .where(
        and(
          eq(communityInvites.id, invite.id),
          isNull(communityInvites.revokedAt),
          or(isNull(communityInvites.expiresAt), gt(communityInvites.expiresAt, sql`now()`)),
          or(isNull(communityInvites.maxUses), lt(communityInvites.uses, communityInvites.maxUses)),
        ),
      )
      .returning({ id: communityInvites.id });
    if (!used) return { ok: false, reason: "invalid_invite" } as const;
    const timedOutUntil = await timeOutStillRunning(tx as unknown as Db, invite.communityId, input.userId);
    await tx
      .insert(communityMembers)
      .values({ communityId: invite.communityId, userId: input.userId, timedOutUntil })
      .onConflictDoNothing();
    return { ok: true, community: community!, isAlreadyMember: false } as const;
  });
}

/**
 * A time-out given before the person left, if it still runs: leaving and coming
 * back by invite must not lift it. Read from the membership event log, which
 * outlives the membership.
 */
async function timeOutStillRunning(db: Db, communityId: string, userId: string): Promise<Date | null> {
  const [last] = await db
    .select({ kind: membershipEvents.kind, details: membershipEvents.details })
    .from(membershipEvents)
    .where(
      and(
        eq(membershipEvents.userId, userId),
        eq(membershipEvents.communityId, communityId),
        inArray(membershipEvents.kind, ["member.timed_out", "member.timeout_lifted"]),
      ),
    )
    .orderBy(desc(membershipEvents.id))
    .limit(1);
  if (last?.kind !== "member.timed_out") return null;
  const until = new Date(String((last.details as { until?: unknown } | null)?.until));
  return until.getTime() > Date.now() ? until : null;
}

/** What an invite link leads to, while it can still be used: the community and how many are in it. */
export async function communityInvitePreview(db: Db, input: { codeHash: string }) {
  const [row] = await db
    .select({ community: communities })
    .from(communityInvites)
    .innerJoin(communities, eq(communities.id, communityInvites.communityId))
    .where(
      and(
        eq(communityInvites.codeHash, input.codeHash),
        isNull(communityInvites.revokedAt),
        or(isNull(communityInvites.expiresAt), gt(communityInvites.expiresAt, sql`now()`)),
        or(isNull(communityInvites.maxUses), lt(communityInvites.uses, communityInvites.maxUses)),
      ),
    );
  if (!row) return null;
  const [members] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(communityMembers)
    .where(eq(communityMembers.communityId, row.community.id));
  return { community: row.community, memberCount: members?.count ?? 0 };
}
