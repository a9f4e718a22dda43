/**
 * How a stored message is read back: one SQL column list, one row mapping, and the
 * reactions attached to each record. Not a query module of its own: `readMessages`
 * aside, it is the shared shape behind the message queries.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db.ts";
import type { NewMessage, StoredMessage } from "./messages.ts";

export interface ReactionRecord {
  emoji: string;
  userIds: string[];
}

export interface MessageRecord {
  id: string;
  channelId: string;
  seq: number;
  event: number;
  senderId: string;
  senderName: string;
  senderSessionId: string | null;
  clientId: string;
  /** base64, as on the wire: PostgreSQL encodes it, so the room relays it without decoding. */
  payload: string;
  sentAt: Date;
  replyToSeq: number | null;
  threadRootSeq: number | null;
  mentionedUserIds: string[];
  mentionedRoleIds: string[];
  mentionsEveryone: boolean;
  mentionsHere: boolean;
  editedAt: Date | null;
  deletedAt: Date | null;
  deletedBy: string | null;
  pinnedAt: Date | null;
  pinnedBy: string | null;
  /** Replies in the thread this message starts (0 for replies themselves). */
  threadReplyCount: number;
  reactions: ReactionRecord[];
}

export type MessageRow = Record<string, unknown>;

const SENDER_NAME_SQL = `case when u.deleted_at is null then u.username else 'deleted user' end`;
/** The sender's name as shown, from `users u`: a deleted account shows as "deleted user". */
export const SENDER_NAME = sql.raw(SENDER_NAME_SQL);

/** The columns every message query selects, from `messages m join users u on u.id = m.sender_id`. */
export const MESSAGE_COLUMNS = sql.raw(`m.id, m.channel_id, m.seq, m.event, m.sender_id, m.sender_session_id,
  m.client_id, replace(encode(m.payload, 'base64'), chr(10), '') as payload, m.sent_at, m.reply_to_seq, m.thread_root_seq, m.mentioned_user_ids, m.mentioned_role_ids,
  m.mentions_everyone, m.mentions_here, m.edited_at, m.deleted_at, m.deleted_by, m.pinned_at, m.pinned_by,
  ${SENDER_NAME_SQL} as sender_name,
  case when m.thread_root_seq is null then (select count(*) from messages t
    where t.channel_id = m.channel_id and t.thread_root_seq = m.seq) else 0 end as thread_reply_count`);

const date = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));
const uuids = (value: unknown): string[] => {
  if (Array.isArray(value)) return value as string[];
  // Some drivers hand uuid[] back as its text form, {a,b}.
  const text = String(value ?? "{}");
  return text === "{}" ? [] : text.slice(1, -1).split(",");
};

export function messageFromRow(row: MessageRow): MessageRecord {
  return {
    id: row.id as string,
    channelId: row.channel_id as string,
    seq: Number(row.seq),
    event: Number(row.event),
    senderId: row.sender_id as string,
    senderName: row.sender_name as string,
    senderSessionId: (row.sender_session_id as string | null) ?? null,
    clientId: row.client_id as string,
    payload: row.payload as string,
    sentAt: new Date(row.sent_at as string),
    replyToSeq: row.reply_to_seq === null ? null : Number(row.reply_to_seq),
    threadRootSeq: row.thread_root_seq === null ? null : Number(row.thread_root_seq),
    mentionedUserIds: uuids(row.mentioned_user_ids),
    mentionedRoleIds: uuids(row.mentioned_role_ids),
    mentionsEveryone: Boolean(row.mentions_everyone),
    mentionsHere: Boolean(row.mentions_here),
    editedAt: date(row.edited_at),
    deletedAt: date(row.deleted_at),
    deletedBy: (row.deleted_by as string | null) ?? null,
    pinnedAt: date(row.pinned_at),
    pinnedBy: (row.pinned_by as string | null) ?? null,
    threadReplyCount: Number(row.thread_reply_count ?? 0),
    reactions: [],
  };
}

/** Runs a query selecting MESSAGE_COLUMNS and returns the records with their reactions. */
export async function selectMessages(db: Db, query: SQL): Promise<MessageRecord[]> {
  const result = await db.execute<MessageRow>(query);
  return withReactions(db, result.rows.map(messageFromRow));
}

export async function withReactions(db: Db, records: MessageRecord[]): Promise<MessageRecord[]> {
  if (records.length === 0) return records;
  const ids = records.map((record) => record.id);
  const result = await db.execute<{ message_id: string; emoji: string; user_ids: string[] | string }>(sql`
    select message_id, emoji, array_agg(user_id order by created_at) as user_ids
    from message_reactions where message_id = any(${pgUuidArray(ids)}::uuid[])
    group by message_id, emoji order by min(created_at)`);
  const byMessage = new Map<string, ReactionRecord[]>();
  for (const row of result.rows) {
    const list = byMessage.get(row.message_id) ?? [];
    list.push({ emoji: row.emoji, userIds: uuids(row.user_ids) });
    byMessage.set(row.message_id, list);
  }
  return records.map((record) => ({ ...record, reactions: byMessage.get(record.id) ?? [] }));
}

/** A uuid[] parameter as its text form (drizzle would expand a JS array into a list). */
export const pgUuidArray = (ids: string[]) => `{${ids.join(",")}}`;

/** The messages with these ids, in seq order. */
export async function readMessages(db: Db, input: { ids: string[] }): Promise<MessageRecord[]> {
  if (input.ids.length === 0) return [];
  return selectMessages(
    db,
    sql`select ${MESSAGE_COLUMNS} from messages m join users u on u.id = m.sender_id
        where m.id = any(${pgUuidArray(input.ids)}::uuid[]) order by m.seq`,
  );
}

/** The whole record of a message just stored: what was sent, and what the server assigned. */
export function newMessageRecord(channelId: string, sent: NewMessage, stored: StoredMessage): MessageRecord {
  return {
    ...stored,
    channelId,
    senderId: sent.senderId,
    senderSessionId: sent.senderSessionId,
    clientId: sent.clientId,
    payload: sent.payload,
    replyToSeq: sent.replyToSeq,
    threadRootSeq: sent.threadRootSeq,
    mentionedUserIds: sent.mentionedUserIds,
    mentionedRoleIds: sent.mentionedRoleIds,
    mentionsEveryone: sent.mentionsEveryone,
    mentionsHere: sent.mentionsHere,
    editedAt: null,
    deletedAt: null,
    deletedBy: null,
    pinnedAt: null,
    pinnedBy: null,
    threadReplyCount: 0,
    reactions: [],
  };
}
