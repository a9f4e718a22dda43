/**
 * Search's metadata query: the messages of some channels that match what the server
 * stores in the clear (sender, mentions, dates, pins, files, thread), newest first,
 * deleted ones left out. The caller has already narrowed `channelIds` to what the
 * person may read; this module trusts that list and nothing else.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db.ts";
import { MESSAGE_COLUMNS, messageFromRow, pgUuidArray, withReactions, type MessageRecord } from "./message-records.ts";

/**
 * Where a page ends, in the order pages are read: sent_at, then channel, then seq, all
 * descending. `sentAtMicros` is microseconds since 1970 as text: PostgreSQL keeps
 * microseconds, and a JavaScript Date would drop them, repeating or skipping messages.
 */
export interface SearchPosition {
  sentAtMicros: string;
  channelId: string;
  seq: number;
}

export interface SearchFilters {
  channelIds: string[];
  senderId?: string;
  mentionsUserId?: string;
  /** ISO 8601 instants: sent strictly before `before`, at or after `after`. */
  before?: string;
  after?: string;
  pinned?: boolean;
  hasFile?: boolean;
  threadRootSeq?: number;
  /** The previous page's end: this page starts just past it. */
  from: SearchPosition | null;
  limit: number;
}

export interface SearchPage {
  messages: MessageRecord[];
  /** The last message's position when more may follow, else null. */
  next: SearchPosition | null;
}

const SENT_AT_MICROS = sql.raw("(extract(epoch from m.sent_at) * 1000000)::bigint::text");

export async function searchMessages(db: Db, filters: SearchFilters): Promise<SearchPage> {
  if (filters.channelIds.length === 0) return { messages: [], next: null };
  // One row past the page says whether another page follows, without an empty last page.
  const wanted = filters.limit + 1;
  const conditions = sql.join(whereClauses(filters), sql` and `);
  const channels = sql`${pgUuidArray(filters.channelIds)}::uuid[]`;
  const order = sql`order by m.sent_at desc, m.channel_id desc, m.seq desc`;
  // A filter that picks few messages (a sender, a mention, files, pins, a thread) is best
  // found through its own index and sorted. Otherwise each channel's newest matches come
  // from its (channel_id, sent_at, seq) index, `wanted` at most per channel, then merge:
  // sorting every message of a big channel for one page costs hundreds of milliseconds.
  const isNarrow =
    filters.senderId !== undefined ||
    filters.mentionsUserId !== undefined ||
    filters.hasFile === true ||
    filters.pinned === true ||
    filters.threadRootSeq !== undefined;
  const query = isNarrow
    ? sql`select ${MESSAGE_COLUMNS}, ${SENT_AT_MICROS} as sent_at_micros
          from messages m join users u on u.id = m.sender_id
          where m.channel_id = any(${channels}) and ${conditions} ${order} limit ${wanted}`
    : sql`with page as (
            select picked.id from unnest(${channels}) as c(id) cross join lateral (
              select m.id, m.sent_at, m.seq from messages m
              where m.channel_id = c.id and ${conditions}
              order by m.sent_at desc, m.seq desc limit ${wanted}
            ) picked
            order by picked.sent_at desc, c.id desc, picked.seq desc limit ${wanted}
          )
          select ${MESSAGE_COLUMNS}, ${SENT_AT_MICROS} as sent_at_micros
          from page join messages m on m.id = page.id join users u on u.id = m.sender_id ${order}`;
  const rows = (await db.execute<Record<string, unknown>>(query)).rows;
  const kept = rows.slice(0, filters.limit);
  const last = kept.at(-1);
  const next =
    rows.length > filters.limit && last
      ? { sentAtMicros: String(last.sent_at_micros), channelId: String(last.channel_id), seq: Number(last.seq) }
      : null;
  return { messages: await withReactions(db, kept.map(messageFromRow)), next };
}

function whereClauses(filters: SearchFilters): SQL[] {
  const clauses: SQL[] = [sql`m.deleted_at is null`];
  if (filters.senderId !== undefined) clauses.push(sql`m.sender_id = ${filters.senderId}`);
  if (filters.mentionsUserId !== undefined)
    clauses.push(sql`m.mentioned_user_ids @> ${pgUuidArray([filters.mentionsUserId])}::uuid[]`);
  if (filters.before !== undefined) clauses.push(sql`m.sent_at < ${filters.before}::timestamptz`);
  if (filters.after !== undefined) clauses.push(sql`m.sent_at >= ${filters.after}::timestamptz`);
  if (filters.pinned !== undefined)
    clauses.push(filters.pinned ? sql`m.pinned_at is not null` : sql`m.pinned_at is null`);
  if (filters.hasFile !== undefined) {
    const carriesFile = sql`exists (select 1 from uploads f where f.message_id = m.id)`;
    clauses.push(filters.hasFile ? carriesFile : sql`not ${carriesFile}`);
  }
  if (filters.threadRootSeq !== undefined) clauses.push(sql`m.thread_root_seq = ${filters.threadRootSeq}`);
  if (filters.from !== null) {
    const { sentAtMicros, channelId, seq } = filters.from;
    const sentAt = sql`('epoch'::timestamptz + ${sentAtMicros}::bigint * interval '1 microsecond')`;
    // The first clause alone lets the indexes start at the position; the row comparison is exact.
    clauses.push(sql`m.sent_at <= ${sentAt}`);
    clauses.push(sql`(m.sent_at, m.channel_id, m.seq) < (${sentAt}, ${channelId}::uuid, ${seq}::bigint)`);
  }
  return clauses;
}
