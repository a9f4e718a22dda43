/**
 * Reading a channel's messages: pages before, after and around a seq, a thread's
 * replies, the pinned messages, and everything created or changed after an event
 * (how a reconnecting client catches up). Each page is one indexed range scan.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { MESSAGE_COLUMNS, selectMessages, type MessageRecord } from "./message-records.ts";

const FROM = sql.raw("from messages m join users u on u.id = m.sender_id");

/** The newest `limit` messages before `beforeSeq` (or the newest overall), oldest first. */
export async function messagesBefore(
  db: Db,
  input: { channelId: string; beforeSeq: number | null; limit: number },
): Promise<MessageRecord[]> {
  const page = await selectMessages(
    db,
    sql`select ${MESSAGE_COLUMNS} ${FROM} where m.channel_id = ${input.channelId}
        ${input.beforeSeq === null ? sql`` : sql`and m.seq < ${input.beforeSeq}`}
        order by m.seq desc limit ${input.limit}`,
  );
  return page.reverse();
}

/** The oldest `limit` messages after `afterSeq`, oldest first. */
export async function messagesAfter(
  db: Db,
  input: { channelId: string; afterSeq: number; limit: number },
): Promise<MessageRecord[]> {
  return selectMessages(
    db,
    sql`select ${MESSAGE_COLUMNS} ${FROM} where m.channel_id = ${input.channelId} and m.seq > ${input.afterSeq}
        order by m.seq limit ${input.limit}`,
  );
}

/**
 * The messages these senders stored under these client ids, in seq order: how a room
 * finds out what a statement whose answer was lost committed.
 */
export async function messagesByClientIds(
  db: Db,
  input: { channelId: string; sent: { senderId: string; clientId: string }[] },
): Promise<MessageRecord[]> {
  if (input.sent.length === 0) return [];
  const sent = JSON.stringify(input.sent.map((one) => ({ sender_id: one.senderId, client_id: one.clientId })));
  return selectMessages(
    db,
    sql`select ${MESSAGE_COLUMNS} ${FROM}
        join jsonb_to_recordset(${sent}::jsonb) as sent(sender_id uuid, client_id text)
          on m.sender_id = sent.sender_id and m.client_id = sent.client_id
        where m.channel_id = ${input.channelId} order by m.seq`,
  );
}

/** A page centred on `seq` (for jump-to-message and jump-to-first-unread): half before, the rest from it on. */
export async function messagesAround(
  db: Db,
  input: { channelId: string; seq: number; limit: number },
): Promise<MessageRecord[]> {
  const before = Math.floor(input.limit / 2);
  const earlier =
    before > 0 ? await messagesBefore(db, { channelId: input.channelId, beforeSeq: input.seq, limit: before }) : [];
  const later = await messagesAfter(db, {
    channelId: input.channelId,
    afterSeq: input.seq - 1,
    limit: input.limit - earlier.length,
  });
  return [...earlier, ...later];
}

/** A thread's replies after `afterSeq`, oldest first (the root itself is an ordinary message). */
export async function threadMessages(
  db: Db,
  input: { channelId: string; rootSeq: number; afterSeq: number; limit: number },
): Promise<MessageRecord[]> {
  return selectMessages(
    db,
    sql`select ${MESSAGE_COLUMNS} ${FROM} where m.channel_id = ${input.channelId}
        and m.thread_root_seq = ${input.rootSeq} and m.seq > ${input.afterSeq}
        order by m.seq limit ${input.limit}`,
  );
}

export async function pinnedMessages(db: Db, input: { channelId: string }): Promise<MessageRecord[]> {
  return selectMessages(
    db,
    sql`select ${MESSAGE_COLUMNS} ${FROM} where m.channel_id = ${input.channelId} and m.pinned_at is not null
        order by m.pinned_at desc`,
  );
}

/**
 * Messages created or changed after `afterEvent`, in event order: what a reconnecting
 * client missed. At most `limit` of them, and no more once their payloads reach
 * `maxBytes` (the message that crosses it is the page's last, so a page holds one at least).
 */
export async function messagesChangedAfter(
  db: Db,
  input: { channelId: string; afterEvent: number; limit: number; maxBytes: number },
): Promise<MessageRecord[]> {
  return selectMessages(
    db,
    sql`with candidates as (
          select id, event, payload_bytes from messages
          where channel_id = ${input.channelId} and event > ${input.afterEvent} order by event limit ${input.limit}
        ), page as (
          select id, sum(payload_bytes) over (order by event) - payload_bytes as bytes_before from candidates
        )
        select ${MESSAGE_COLUMNS} ${FROM} join page p on p.id = m.id
        where p.bytes_before < ${input.maxBytes} order by m.event`,
  );
}
