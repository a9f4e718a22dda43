/** The membership event log (schema.ts `membershipEvents`): appended on every access change, read in order. */
import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "../db.ts";
import { membershipEvents } from "../schema.ts";

export type MembershipEventRecord = typeof membershipEvents.$inferSelect;

export async function recordMembershipEvent(
  db: Db,
  input: {
    communityId: string | null;
    channelId: string | null;
    userId: string | null;
    kind: string;
    details?: Record<string, unknown>;
  },
): Promise<MembershipEventRecord> {
  const [event] = await db
    .insert(membershipEvents)
    .values({ ...input, details: input.details ?? null })
    .returning();
  return event!;
}

export async function membershipEventsAfter(
  db: Db,
  input: { communityId: string; afterId: number; limit: number },
): Promise<MembershipEventRecord[]> {
  return db
    .select()
    .from(membershipEvents)
    .where(and(eq(membershipEvents.communityId, input.communityId), gt(membershipEvents.id, input.afterId)))
    .orderBy(asc(membershipEvents.id))
    .limit(input.limit);
}
