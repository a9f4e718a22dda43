/**
 * Appending messages, in batches, with gap-free sequence numbers and idempotent
 * client ids. Every write to a channel's messages also numbers the change
 * (`channels.last_event`), so a client can resume from the last change it saw.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { readMessages, SENDER_NAME, type MessageRecord } from "./message-records.ts";

export { readMessages } from "./message-records.ts";
export type { MessageRecord, ReactionRecord } from "./message-records.ts";

export interface NewMessage {
  senderId: string;
  senderSessionId: string | null;
  clientId: string;
  /** base64 (validated by the frame schema); stored as bytes. */
  payload: string;
  replyToSeq: number | null;
  threadRootSeq: number | null;
  mentionedUserIds: string[];
  mentionedRoleIds: string[];
  mentionsEveryone: boolean;
  mentionsHere: boolean;
  /** Upload ids the message carries (docs/files.md), in the order named; bound in the same statement. */
  attachments: string[];
}

/** Why an attachment cannot go with a message (docs/api.md, `invalid_attachment`). */
export type AttachmentProblem = "not_yours" | "other_channel" | "incomplete" | "already_sent" | "deleted";

/** Per input, in input order: the stored message (new or the earlier one with its client id), or why not. */
export type AppendResult = { ok: true; message: MessageRecord; isDuplicate: boolean } | AppendRefusal;

/** A message not stored: its reply or thread names nothing, or one of its attachments cannot go with it. */
export type AppendRefusal =
  | { ok: false; reason: "no_such_message" }
  | { ok: false; reason: "invalid_attachment"; uploadId: string; problem: AttachmentProblem };

/** What the server assigned to a new message; the rest of it is what was sent. */
export interface StoredMessage {
  id: string;
  seq: number;
  event: number;
  sentAt: Date;
  senderName: string;
}

/**
 * `appendMessages`' answer per input: a new message comes back as what the server
 * assigned only (the caller holds the rest, so nothing it sent travels back), a
 * resend as the whole earlier message.
 */
export type AppendOutcome =
  | { ok: true; isDuplicate: false; stored: StoredMessage }
  | { ok: true; isDuplicate: true; message: MessageRecord }
  | AppendRefusal;

const pgArray = (values: string[]) => `{${values.join(",")}}`;

/**
 * Stores a batch of messages in one statement (one round trip, one commit). Inputs
 * whose (sender, client id) is already stored return that message unchanged; the
 * others are numbered after the channel's last seq, in input order, by bumping the
 * channel row (its lock orders concurrent batches). An input replying to, or
 * posting into the thread of, a message that does not exist is refused, and so is
 * one naming an upload that is not a complete, unsent upload of its sender's in this
 * channel; the others bind their uploads in the same statement, so a stored message
 * carries its files and a refused one binds nothing. The caller never puts one
 * (sender, client id), nor one upload, in two inputs of a batch.
 */
export async function appendMessages(
  db: Db,
  input: { channelId: string; messages: NewMessage[] },
): Promise<AppendOutcome[]> {
  return (await appendAcross(db, { batches: [input] }))[0]!;
}

/**
 * appendMessages for several channels' batches in one statement and one commit: what
 * the Database object does with the batches of rooms that wait at the same moment
 * (db/append-groups.ts). Each batch is numbered in its own channel as appendMessages
 * numbers it alone; the caller gives each channel at most one batch. Answers per
 * batch, in batch order.
 */
export async function appendAcross(
  db: Db,
  input: { batches: { channelId: string; messages: NewMessage[] }[] },
): Promise<AppendOutcome[][]> {
  const rows = input.batches.flatMap(({ channelId, messages }) =>
    messages.map((message) => ({
      channel_id: channelId,
      sender_id: message.senderId,
      session_id: message.senderSessionId,
      client_id: message.clientId,
      payload: message.payload,
      reply_to_seq: message.replyToSeq,
      thread_root_seq: message.threadRootSeq,
      mentioned_user_ids: pgArray(message.mentionedUserIds),
      mentioned_role_ids: pgArray(message.mentionedRoleIds),
      mentions_everyone: message.mentionsEveryone,
      mentions_here: message.mentionsHere,
      attachments: pgArray(message.attachments),
    })),
  );
  const numbered = rows.map((row, ord) => ({ ord, ...row }));
  const result = await db.execute<{
    ord: number;
    outcome: "stored" | "duplicate" | "refused";
    id: string;
    seq: string | null;
    event: string | null;
    sent_at: string | null;
    sender_name: string | null;
    problem: AttachmentProblem | null;
  }>(sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(numbered)}::jsonb) as t(
        ord int, channel_id uuid, sender_id uuid, session_id uuid, client_id text, payload text, reply_to_seq bigint,
        thread_root_seq bigint, mentioned_user_ids text, mentioned_role_ids text, mentions_everyone boolean,
        mentions_here boolean, attachments text)
    ), existing as (
      select input.ord, messages.id from input
      join messages on messages.channel_id = input.channel_id
        and messages.sender_id = input.sender_id and messages.client_id = input.client_id
    ), named as (
      select input.ord, input.channel_id, input.sender_id, named.upload_id, named.position from input
      cross join unnest(input.attachments::uuid[]) with ordinality as named(upload_id, position)
      where not exists (select 1 from existing where existing.ord = input.ord)
    ), held as materialized (
      -- Locked and read as committed now, so a concurrent cancel, deletion or other
      -- transaction's binding is either seen here or waits for this one.
      select id, owner_id, channel_id, state, message_id from uploads
      where id in (select upload_id from named) order by id for update
    ), unfit as (
      select distinct on (named.ord) named.ord, named.upload_id,
        case when held.id is null or held.owner_id <> named.sender_id then 'not_yours'
             when held.channel_id <> named.channel_id then 'other_channel'
             when held.state = 'deleting' then 'deleted'
             when held.message_id is not null then 'already_sent'
             else 'incomplete' end as problem
      from named left join held on held.id = named.upload_id
      where held.id is null or held.owner_id <> named.sender_id or held.channel_id <> named.channel_id
        or held.state <> 'complete' or held.message_id is not null
      order by named.ord, named.position
    ), fresh as (
      select input.*, row_number() over (partition by input.channel_id order by input.ord) as rank from input
      where not exists (select 1 from existing where existing.ord = input.ord)
        and not exists (select 1 from unfit where unfit.ord = input.ord)
        and (input.reply_to_seq is null or exists (
          select 1 from messages target where target.channel_id = input.channel_id and target.seq = input.reply_to_seq))
        and (input.thread_root_seq is null or exists (
          select 1 from messages root where root.channel_id = input.channel_id and root.seq = input.thread_root_seq
            and root.thread_root_seq is null))
    ), total as (
      select channel_id, count(*) as n from fresh group by channel_id
    ), locked as materialized (
      -- The channels' rows locked in one order (by id), before any is updated: two
      -- statements over several channels each cannot wait for each other.
      select id from channels where id in (select channel_id from total) order by id for update
    ), numbered as (
      update channels set last_seq = last_seq + total.n, last_event = last_event + total.n
      from total where channels.id = total.channel_id and channels.id in (select id from locked)
      returning channels.id as channel_id, channels.last_seq, channels.last_event, total.n
    ), inserted as (
      insert into messages (channel_id, seq, event, sender_id, sender_session_id, client_id, payload, payload_bytes,
        reply_to_seq, thread_root_seq, mentioned_user_ids, mentioned_role_ids, mentions_everyone, mentions_here)
      select fresh.channel_id, numbered.last_seq - numbered.n + fresh.rank, numbered.last_event - numbered.n + fresh.rank,
        fresh.sender_id, fresh.session_id, fresh.client_id, decode(fresh.payload, 'base64'),
        length(decode(fresh.payload, 'base64')), fresh.reply_to_seq, fresh.thread_root_seq,
        fresh.mentioned_user_ids::uuid[], fresh.mentioned_role_ids::uuid[], fresh.mentions_everyone, fresh.mentions_here
      from fresh join numbered on numbered.channel_id = fresh.channel_id
      returning *
    ), stored as (
      select fresh.ord, m.* from inserted m
      join fresh on fresh.channel_id = m.channel_id and fresh.client_id = m.client_id and fresh.sender_id = m.sender_id
    ), bound as (
      update uploads set message_id = stored.id
      from stored join named on named.ord = stored.ord where uploads.id = named.upload_id
    )
    select stored.ord, 'stored' as outcome, stored.id, stored.seq, stored.event, stored.sent_at,
        ${SENDER_NAME} as sender_name, null as problem
      from stored join users u on u.id = stored.sender_id
    union all
    select existing.ord, 'duplicate', existing.id, null, null, null, null, null from existing
    union all
    select unfit.ord, 'refused', unfit.upload_id, null, null, null, null, unfit.problem from unfit
  `);
  // A resend is answered with the whole earlier message, reactions gathered since included.
  const duplicateIds = result.rows.filter((row) => row.outcome === "duplicate").map((row) => row.id);
  const earlier = new Map((await readMessages(db, { ids: duplicateIds })).map((record) => [record.id, record]));
  const byOrd = new Map(result.rows.map((row): [number, AppendOutcome] => [Number(row.ord), outcomeOf(row, earlier)]));
  let ord = 0;
  return input.batches.map(({ messages }) =>
    messages.map(() => byOrd.get(ord++) ?? { ok: false, reason: "no_such_message" }),
  );
}

function outcomeOf(
  row: {
    outcome: "stored" | "duplicate" | "refused";
    id: string;
    seq: string | null;
    event: string | null;
    sent_at: string | null;
    sender_name: string | null;
    problem: AttachmentProblem | null;
  },
  earlier: Map<string, MessageRecord>,
): AppendOutcome {
  if (row.outcome === "duplicate") return { ok: true, isDuplicate: true, message: earlier.get(row.id)! };
  if (row.outcome === "refused")
    return { ok: false, reason: "invalid_attachment", uploadId: row.id, problem: row.problem! };
  return {
    ok: true,
    isDuplicate: false,
    stored: {
      id: row.id,
      seq: Number(row.seq),
      event: Number(row.event),
      sentAt: new Date(row.sent_at!),
      senderName: row.sender_name!,
    },
  };
}
