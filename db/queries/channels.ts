/** Queries about channels. */
import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { channels } from "../schema.ts";

export interface ChannelRecord {
  id: string;
  name: string;
  createdBy: string;
  lastSeq: number;
  createdAt: Date;
}

export type CreateChannelResult = { ok: true; channel: ChannelRecord } | { ok: false; reason: "name_taken" };

export async function createChannel(db: Db, input: { name: string; createdBy: string }): Promise<CreateChannelResult> {
  const [channel] = await db.insert(channels).values(input).onConflictDoNothing().returning();
  return channel ? { ok: true, channel } : { ok: false, reason: "name_taken" };
}

export async function allChannels(db: Db, _input: Record<string, never>): Promise<ChannelRecord[]> {
  return db
    .select()
    .from(channels)
    .orderBy(asc(sql`lower(${channels.name})`));
}

export async function channelById(db: Db, input: { id: string }): Promise<ChannelRecord | null> {
  const [channel] = await db.select().from(channels).where(eq(channels.id, input.id));
  return channel ?? null;
}
