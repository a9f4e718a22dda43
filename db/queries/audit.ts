/** The security audit log: append and read. */
import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Db } from "../db.ts";
import { auditEvents } from "../schema.ts";

export type AuditRecord = typeof auditEvents.$inferSelect;

export async function recordAudit(
  db: Db,
  input: {
    actorId: string | null;
    action: string;
    targetUserId: string | null;
    ip: string | null;
    userAgent: string | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db.insert(auditEvents).values({ ...input, details: input.details ?? null });
}

/** Events where the user acted or was acted on, newest first. */
export async function auditForUser(
  db: Db,
  input: { userId: string; beforeId: number | null; limit: number },
): Promise<AuditRecord[]> {
  return db
    .select()
    .from(auditEvents)
    .where(
      and(
        or(eq(auditEvents.targetUserId, input.userId), eq(auditEvents.actorId, input.userId)),
        input.beforeId ? lt(auditEvents.id, input.beforeId) : undefined,
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(input.limit);
}
