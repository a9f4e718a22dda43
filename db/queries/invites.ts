/** Registration invites, created by admins; codes are stored only as hashes. */
import { desc, eq, isNull, and, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { registrationInvites } from "../schema.ts";

export type InviteRecord = typeof registrationInvites.$inferSelect;

export async function createInvite(
  db: Db,
  input: { codeHash: string; createdBy: string; expiresAt: Date | null; maxUses: number | null },
): Promise<InviteRecord> {
  const [invite] = await db.insert(registrationInvites).values(input).returning();
  return invite!;
}

export async function allInvites(db: Db, input: { limit: number }): Promise<InviteRecord[]> {
  return db.select().from(registrationInvites).orderBy(desc(registrationInvites.createdAt)).limit(input.limit);
}

/** Revokes an invite; false when it does not exist or was already revoked. */
export async function revokeInvite(db: Db, input: { id: string }): Promise<boolean> {
  const revoked = await db
    .update(registrationInvites)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(registrationInvites.id, input.id), isNull(registrationInvites.revokedAt)))
    .returning({ id: registrationInvites.id });
  return revoked.length > 0;
}
