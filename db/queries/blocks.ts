/** Blocking: one person refuses contact from another. */
import { and, desc, eq, or } from "drizzle-orm";
import type { Db } from "../db.ts";
import { userBlocks, users } from "../schema.ts";

export async function blockUser(db: Db, input: { blockerId: string; blockedId: string }): Promise<void> {
  await db.insert(userBlocks).values(input).onConflictDoNothing();
}

export async function unblockUser(db: Db, input: { blockerId: string; blockedId: string }): Promise<boolean> {
  const removed = await db
    .delete(userBlocks)
    .where(and(eq(userBlocks.blockerId, input.blockerId), eq(userBlocks.blockedId, input.blockedId)))
    .returning({ blockedId: userBlocks.blockedId });
  return removed.length > 0;
}

export async function blockedBy(db: Db, input: { blockerId: string }) {
  return db
    .select({ userId: userBlocks.blockedId, username: users.username, createdAt: userBlocks.createdAt })
    .from(userBlocks)
    .innerJoin(users, eq(users.id, userBlocks.blockedId))
    .where(eq(userBlocks.blockerId, input.blockerId))
    .orderBy(desc(userBlocks.createdAt));
}

/** Whether either of the two has blocked the other (direct messages are refused then). */
export async function isBlockedEitherWay(db: Db, input: { userId: string; otherId: string }): Promise<boolean> {
  const [row] = await db
    .select({ blockerId: userBlocks.blockerId })
    .from(userBlocks)
    .where(
      or(
        and(eq(userBlocks.blockerId, input.userId), eq(userBlocks.blockedId, input.otherId)),
        and(eq(userBlocks.blockerId, input.otherId), eq(userBlocks.blockedId, input.userId)),
      ),
    )
    .limit(1);
  return !!row;
}
