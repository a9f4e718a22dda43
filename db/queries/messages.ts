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
 * Stores a message and returns it with its sequence number, in one statement (one
 * round trip, its own transaction): a resend with the same client id returns the
 * stored message unchanged; otherwise the channel row's counter is bumped (the row
 * lock orders concurrent appends) and the message inserted with that number, so
 * numbers are strictly increasing without gaps. The room appends one at a time, so
 * a retry never races its original inside the statement.
 */
export async function appendMessage(
  db: Db,
  input: { channelId: string; senderId: string; clientId: string; payload: Uint8Array },
): Promise<{ message: MessageRecord; isDuplicate: boolean }> {
  const result = await db.execute<{
    id: string;
    channel_id: string;
    seq: string | number;
    sender_id: string;
    sender_name: string;
    client_id: string;
    payload: Uint8Array;
    sent_at: Date | string;
    is_duplicate: boolean;
  }>(sql`
    with existing as (
      select * from messages
      where channel_id = ${input.channelId} and sender_id = ${input.senderId} and client_id = ${input.clientId}
    ), numbered as (
      update channels set last_seq = last_seq + 1
      where id = ${input.channelId} and not exists (select 1 from existing)
      returning last_seq
    ), inserted as (
      insert into messages (channel_id, seq, sender_id, client_id, payload, payload_bytes)
      select ${input.channelId}, last_seq, ${input.senderId}, ${input.clientId}, ${input.payload}, ${input.payload.byteLength}
      from numbered
      returning *
    ), stored as (
      select *, false as is_duplicate from inserted
      union all
      select *, true as is_duplicate from existing
    )
    select stored.id, stored.channel_id, stored.seq, stored.sender_id, stored.client_id, stored.payload, stored.sent_at,
      stored.is_duplicate,
      case when users.deleted_at is null then users.username else 'deleted user' end as sender_name
    from stored join users on users.id = stored.sender_id
  `);
  const row = result.rows[0];
  if (!row) throw new Error("channel does not exist");
  return {
    message: {
      id: row.id,
      channelId: row.channel_id,
      seq: Number(row.seq),
      senderId: row.sender_id,
      senderName: row.sender_name,
      clientId: row.client_id,
      payload: new Uint8Array(row.payload),
      sentAt: new Date(row.sent_at),
    },
    isDuplicate: row.is_duplicate,
  };
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
