/** Queries about messages: appending with gap-free sequence numbers, and history pages. */
import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { channels, messages, users } from "../schema.ts";

export interface MessageRecord {
  id: string;
  channelId: string;
  seq: number;
  senderId: string;
  senderName: string;
  clientId: string;
  payload: Uint8Array;
  sentAt: Date;
}

const messageColumns = {
  id: messages.id,
  channelId: messages.channelId,
  seq: messages.seq,
  senderId: messages.senderId,
  // A deleted account's messages stay, shown as from a deleted user.
  senderName: sql<string>`case when ${users.deletedAt} is null then ${users.username} else 'deleted user' end`,
  clientId: messages.clientId,
  payload: messages.payload,
  sentAt: messages.sentAt,
};

/**
 * Stores a message and returns it with its sequence number. The channel row is
 * locked while the number is taken, so numbers are strictly increasing without
 * gaps. A resend with the same client id returns the stored message unchanged.
 */
export async function appendMessage(
  db: Db,
  input: { channelId: string; senderId: string; clientId: string; payload: Uint8Array },
): Promise<{ message: MessageRecord; isDuplicate: boolean }> {
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select(messageColumns)
      .from(messages)
      .innerJoin(users, eq(users.id, messages.senderId))
      .where(
        and(
          eq(messages.channelId, input.channelId),
          eq(messages.senderId, input.senderId),
          eq(messages.clientId, input.clientId),
        ),
      );
    if (existing) return { message: existing, isDuplicate: true };

    const [channel] = await tx
      .update(channels)
      .set({ lastSeq: sql`${channels.lastSeq} + 1` })
      .where(eq(channels.id, input.channelId))
      .returning({ seq: channels.lastSeq });
    if (!channel) throw new Error("channel does not exist");

    const [row] = await tx
      .insert(messages)
      .values({ ...input, seq: channel.seq, payloadBytes: input.payload.byteLength })
      .returning();
    const [sender] = await tx
      .select({ senderName: messageColumns.senderName })
      .from(users)
      .where(eq(users.id, input.senderId));
    return {
      message: {
        id: row!.id,
        channelId: row!.channelId,
        seq: row!.seq,
        senderId: row!.senderId,
        senderName: sender!.senderName,
        clientId: row!.clientId,
        payload: row!.payload,
        sentAt: row!.sentAt,
      },
      isDuplicate: false,
    };
  });
}

/** The newest `limit` messages before `beforeSeq` (or the newest overall), oldest first. */
export async function messagesBefore(
  db: Db,
  input: { channelId: string; beforeSeq: number | null; limit: number },
): Promise<MessageRecord[]> {
  const rows = await db
    .select(messageColumns)
    .from(messages)
    .innerJoin(users, eq(users.id, messages.senderId))
    .where(
      input.beforeSeq === null
        ? eq(messages.channelId, input.channelId)
        : and(eq(messages.channelId, input.channelId), lt(messages.seq, input.beforeSeq)),
    )
    .orderBy(desc(messages.seq))
    .limit(input.limit);
  return rows.reverse();
}
