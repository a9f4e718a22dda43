/** Calls in progress, as the channels' rooms last wrote them (db/schema.ts `active_calls`). */
import { inArray, eq, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { activeCalls } from "../schema.ts";

/** A call in progress, as `GET /api/calls` shows it (protocol's CallSummary). */
export interface ActiveCallRecord {
  channelId: string;
  communityId: string | null;
  callId: string;
  startedAt: string;
  startedBy: string;
  ringing: string[];
  participants: { userId: string; muted: boolean; camera: boolean; screen: boolean }[];
}

export async function saveActiveCall(db: Db, call: ActiveCallRecord): Promise<void> {
  const values = { ...call, startedAt: new Date(call.startedAt) };
  await db
    .insert(activeCalls)
    .values(values)
    .onConflictDoUpdate({
      target: activeCalls.channelId,
      set: {
        callId: values.callId,
        communityId: values.communityId,
        startedAt: values.startedAt,
        startedBy: values.startedBy,
        ringing: values.ringing,
        participants: values.participants,
        updatedAt: sql`now()`,
      },
    });
}

export async function endActiveCall(db: Db, input: { channelId: string }): Promise<void> {
  await db.delete(activeCalls).where(eq(activeCalls.channelId, input.channelId));
}

/** The calls in progress in these channels (the caller has scoped them to what the person may view). */
export async function activeCallsIn(db: Db, input: { channelIds: string[] }): Promise<ActiveCallRecord[]> {
  if (input.channelIds.length === 0) return [];
  const rows = await db.select().from(activeCalls).where(inArray(activeCalls.channelId, input.channelIds));
  return rows.map((row) => ({
    channelId: row.channelId,
    communityId: row.communityId,
    callId: row.callId,
    startedAt: row.startedAt.toISOString(),
    startedBy: row.startedBy,
    ringing: row.ringing,
    participants: row.participants,
  }));
}
