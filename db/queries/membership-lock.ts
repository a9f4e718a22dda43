/** The lock that serializes changes to one person's membership of one community (not a query). */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { communities } from "../schema.ts";

/**
 * Locks the community row and the member's row for the rest of the transaction, so
 * ownership, membership and bans of one person change one at a time.
 */
export async function lockMembership(db: Db, communityId: string, userId: string) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`chatalot.member:${communityId}:${userId}`}))`);
  const [community] = await db.select().from(communities).where(eq(communities.id, communityId)).for("update");
  return community;
}
