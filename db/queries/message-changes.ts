/**
 * Changing stored messages: edits (the previous version is kept), deletions (a
 * tombstone stays; the payload and earlier versions are erased), reactions and
 * pins. Each change takes the channel's next event number in the same statement,
 * so a reconnecting client finds it. The room runs them one at a time, in order
 * with its appends.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { MESSAGE_COLUMNS, selectMessages, type MessageRecord } from "./message-records.ts";
import { DISCARDED_UPLOAD, type DiscardedUpload } from "./upload-discards.ts";

/** `isChanged` is false when the message already was that way (a second identical reaction or pin). */
export type ChangeResult =
  | { ok: true; message: MessageRecord; isChanged: boolean }
  | { ok: false; reason: "no_such_message" | "not_yours" | "limit_reached" };

/** Reads the changed message back; `changedId` is null when the statement changed nothing. */
async function changed(db: Db, changedId: string | null): Promise<MessageRecord | null> {
  if (!changedId) return null;
  const [message] = await selectMessages(
    db,
    sql`select ${MESSAGE_COLUMNS} from messages m join users u on u.id = m.sender_id where m.id = ${changedId}`,
  );
  return message ?? null;
}

/** A limited change's answer (a reaction, a pin): changed, already so, or over the limit. */
async function outcomeOf(db: Db, row: { id: string; outcome: string } | undefined): Promise<ChangeResult> {
  if (!row) return { ok: false, reason: "no_such_message" };
  if (row.outcome === "limit") return { ok: false, reason: "limit_reached" };
  const message = await changed(db, row.id);
  return message
    ? { ok: true, message, isChanged: row.outcome === "changed" }
    : { ok: false, reason: "no_such_message" };
}

/** Why a change found nothing to change: no such live message, or someone else's. */
async function whyNot(
  db: Db,
  channelId: string,
  seq: number,
  userId: string | null,
): Promise<"no_such_message" | "not_yours"> {
  const result = await db.execute<{ sender_id: string; deleted_at: unknown }>(
    sql`select sender_id, deleted_at from messages where channel_id = ${channelId} and seq = ${seq}`,
  );
  const row = result.rows[0];
  if (!row || row.deleted_at) return "no_such_message";
  return userId && row.sender_id !== userId ? "not_yours" : "no_such_message";
}

/** A new event number for the channel, as a CTE body. */
/** Replaces the payload of one's own live message, keeping the previous version. */
export async function editMessage(
  db: Db,
  input: {
    channelId: string;
    seq: number;
    senderId: string;
    payload: string;
    payloadBytes: number;
    /** Earlier versions a message may keep: an edit past them is refused (limit_reached). */
    maxVersions: number;
  },
): Promise<ChangeResult> {
  const result = await db.execute<{ id: string }>(sql`
    with target as (
      select id, payload, coalesce(edited_at, sent_at) as since from messages
      where channel_id = ${input.channelId} and seq = ${input.seq} and sender_id = ${input.senderId}
        and deleted_at is null
        and (select count(*) from message_versions v where v.message_id = messages.id) < ${input.maxVersions}
      for update
    ), kept as (
      insert into message_versions (message_id, payload, sent_at) select id, payload, since from target
    ), numbered as (
      update channels set last_event = last_event + 1
      where id = ${input.channelId} and exists (select 1 from target) returning last_event
    )
    update messages set payload = decode(${input.payload}, 'base64'), payload_bytes = ${input.payloadBytes}, edited_at = now(),
      event = numbered.last_event
    from target, numbered where messages.id = target.id
    returning messages.id`);
  const message = await changed(db, result.rows[0]?.id ?? null);
  if (message) return { ok: true, message, isChanged: true };
  const reason = await whyNot(db, input.channelId, input.seq, input.senderId);
  // One's own live message that was not changed: its edits are used up.
  const isOwnAndLive = reason === "no_such_message" && (await isLiveAndSentBy(db, input));
  return { ok: false, reason: isOwnAndLive ? "limit_reached" : reason };
}

async function isLiveAndSentBy(db: Db, input: { channelId: string; seq: number; senderId: string }) {
  const result = await db.execute(sql`select 1 from messages where channel_id = ${input.channelId}
    and seq = ${input.seq} and sender_id = ${input.senderId} and deleted_at is null`);
  return result.rows.length > 0;
}

/**
 * Deletes a message: its payload, earlier versions and reactions are erased, a
 * tombstone keeps its place (seq, sender, time, who deleted it). Only the sender's
 * own, unless `mayDeleteOthers`. The sender's own deletion keeps `senderProof` (base64,
 * the deletion their device sealed) as the tombstone's payload; anyone else's, nothing.
 * The files it carried are marked `deleting` in the same statement (answered as
 * `discarded`: the caller removes their parts once this committed, housekeeping if it fails).
 */
export async function deleteMessage(
  db: Db,
  input: { channelId: string; seq: number; actorId: string; mayDeleteOthers: boolean; senderProof?: string | null },
): Promise<ChangeResult & { discarded?: DiscardedUpload[] }> {
  const result = await db.execute<{ id: string; discarded: DiscardedUpload[] }>(sql`
    with target as (
      select id from messages
      where channel_id = ${input.channelId} and seq = ${input.seq} and deleted_at is null
        and (sender_id = ${input.actorId} or ${input.mayDeleteOthers})
      for update
    ), erased_versions as (
      delete from message_versions where message_id in (select id from target)
    ), erased_reactions as (
      delete from message_reactions where message_id in (select id from target)
    ), discarded as (
      update uploads set state = 'deleting' where message_id in (select id from target) and state <> 'deleting'
      returning ${DISCARDED_UPLOAD}
    ), numbered as (
      update channels set last_event = last_event + 1
      where id = ${input.channelId} and exists (select 1 from target) returning last_event
    )
    update messages set payload = case when messages.sender_id = ${input.actorId}
        then decode(${input.senderProof ?? ""}, 'base64') else ''::bytea end,
      payload_bytes = 0, deleted_at = now(), deleted_by = ${input.actorId},
      pinned_at = null, pinned_by = null, event = numbered.last_event
    from target, numbered where messages.id = target.id
    returning messages.id, (select coalesce(json_agg(discarded), '[]'::json) from discarded) as discarded`);
  const message = await changed(db, result.rows[0]?.id ?? null);
  if (message) return { ok: true, message, isChanged: true, discarded: result.rows[0]!.discarded };
  return {
    ok: false,
    reason: await whyNot(db, input.channelId, input.seq, input.mayDeleteOthers ? null : input.actorId),
  };
}

/** Adds one person's reaction; at most `maxEmoji` distinct emoji per message. Reacting twice changes nothing. */
export async function addReaction(
  db: Db,
  input: { channelId: string; seq: number; userId: string; emoji: string; maxEmoji: number },
): Promise<ChangeResult> {
  const result = await db.execute<{ id: string; outcome: string }>(sql`
    with target as (
      select id from messages where channel_id = ${input.channelId} and seq = ${input.seq} and deleted_at is null
      for update
    ), allowed as (
      select target.id from target
      where exists (select 1 from message_reactions r where r.message_id = target.id and r.emoji = ${input.emoji})
        or (select count(distinct emoji) from message_reactions r where r.message_id = target.id) < ${input.maxEmoji}
    ), added as (
      insert into message_reactions (message_id, user_id, emoji)
      select id, ${input.userId}, ${input.emoji} from allowed
      on conflict do nothing returning message_id
    ), numbered as (
      update channels set last_event = last_event + 1
      where id = ${input.channelId} and exists (select 1 from added) returning last_event
    ), bumped as (
      update messages set event = numbered.last_event from numbered, added where messages.id = added.message_id
      returning messages.id
    )
    select target.id,
      case when exists (select 1 from bumped) then 'changed'
           when exists (select 1 from allowed) then 'unchanged' else 'limit' end as outcome
    from target`);
  return outcomeOf(db, result.rows[0]);
}

export async function removeReaction(
  db: Db,
  input: { channelId: string; seq: number; userId: string; emoji: string },
): Promise<ChangeResult> {
  const result = await db.execute<{ id: string }>(sql`
    with target as (
      select id from messages where channel_id = ${input.channelId} and seq = ${input.seq} and deleted_at is null
      for update
    ), removed as (
      delete from message_reactions
      where message_id in (select id from target) and user_id = ${input.userId} and emoji = ${input.emoji}
      returning message_id
    ), numbered as (
      update channels set last_event = last_event + 1
      where id = ${input.channelId} and exists (select 1 from removed) returning last_event
    ), bumped as (
      update messages set event = numbered.last_event from numbered where messages.id in (select message_id from removed)
    )
    select id, exists (select 1 from removed) as is_changed from target`);
  const row = result.rows[0] as { id: string; is_changed: boolean } | undefined;
  const message = await changed(db, row?.id ?? null);
  return message
    ? { ok: true, message, isChanged: Boolean(row?.is_changed) }
    : { ok: false, reason: "no_such_message" };
}

/** Pins or unpins a live message; at most `maxPins` pinned per channel. */
export async function setPinned(
  db: Db,
  input: { channelId: string; seq: number; actorId: string; isPinned: boolean; maxPins: number },
): Promise<ChangeResult> {
  const result = await db.execute<{ id: string; outcome: string }>(sql`
    with target as (
      select id, pinned_at from messages
      where channel_id = ${input.channelId} and seq = ${input.seq} and deleted_at is null
      for update
    ), allowed as (
      select id from target
      where (target.pinned_at is not null) <> ${input.isPinned}
        and (not ${input.isPinned} or (select count(*) from messages p
          where p.channel_id = ${input.channelId} and p.pinned_at is not null) < ${input.maxPins})
    ), numbered as (
      update channels set last_event = last_event + 1
      where id = ${input.channelId} and exists (select 1 from allowed) returning last_event
    ), bumped as (
      update messages set event = numbered.last_event,
        pinned_at = case when ${input.isPinned} then now() else null end,
        pinned_by = case when ${input.isPinned} then ${input.actorId}::uuid else null end
      from numbered, allowed where messages.id = allowed.id
      returning messages.id
    )
    select target.id,
      case when exists (select 1 from bumped) then 'changed'
           when (target.pinned_at is not null) = ${input.isPinned} then 'unchanged' else 'limit' end as outcome
    from target`);
  return outcomeOf(db, result.rows[0]);
}

/** An edited message's earlier versions, oldest first (payloads stay opaque). */
export async function messageVersions(db: Db, input: { channelId: string; seq: number }) {
  const result = await db.execute<{ payload: Uint8Array; sent_at: string; replaced_at: string }>(sql`
    select v.payload, v.sent_at, v.replaced_at from message_versions v
    join messages m on m.id = v.message_id
    where m.channel_id = ${input.channelId} and m.seq = ${input.seq} order by v.id`);
  return result.rows.map((row) => ({
    payload: new Uint8Array(row.payload),
    sentAt: new Date(row.sent_at),
    replacedAt: new Date(row.replaced_at),
  }));
}
