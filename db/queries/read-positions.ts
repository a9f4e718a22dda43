/**
 * Read positions (how far each person has read each channel, shared by their
 * devices) and the unread and mention counts they imply.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { pgUuidArray } from "./message-records.ts";

/** Moves the read position forward to `seq` (never back, never past the last message); returns where it is. */
export async function markRead(db: Db, input: { userId: string; channelId: string; seq: number }): Promise<number> {
  const result = await db.execute<{ last_read_seq: string }>(sql`
    insert into read_positions (user_id, channel_id, last_read_seq)
    select ${input.userId}, id, least(${input.seq}, last_seq) from channels where id = ${input.channelId}
    on conflict (user_id, channel_id) do update
      set last_read_seq = greatest(read_positions.last_read_seq, excluded.last_read_seq), updated_at = now()
    returning last_read_seq`);
  return Number(result.rows[0]?.last_read_seq ?? 0);
}

/** Marks each of the channels read up to its last message. */
export async function markAllRead(db: Db, input: { userId: string; channelIds: string[] }): Promise<void> {
  if (input.channelIds.length === 0) return;
  await db.execute(sql`
    insert into read_positions (user_id, channel_id, last_read_seq)
    select ${input.userId}, id, last_seq from channels where id = any(${pgUuidArray(input.channelIds)}::uuid[])
    on conflict (user_id, channel_id) do update
      set last_read_seq = greatest(read_positions.last_read_seq, excluded.last_read_seq), updated_at = now()`);
}

/**
 * For each channel: its last seq, the person's read position, how many messages
 * from others lie after it (counted up to `cap`), and how many of those within the
 * channel's last `cap` messages mention them, their roles, @everyone or @here.
 */
export async function unreadCounts(
  db: Db,
  input: {
    userId: string;
    channelIds: string[];
    cap: number;
    /** Messages under client ids with this prefix are not for reading (history keys shared with newcomers). */
    hiddenClientIdPrefix: string;
  },
) {
  if (input.channelIds.length === 0) return [];
  const result = await db.execute<{
    channel_id: string;
    community_id: string | null;
    last_seq: string;
    last_read_seq: string;
    unread: string;
    mentions: string;
  }>(sql`
    with mine as (
      select coalesce(array_agg(role_id), '{}') as role_ids from member_roles where user_id = ${input.userId}
    )
    select c.id as channel_id, c.community_id, c.last_seq, coalesce(r.last_read_seq, 0) as last_read_seq,
      (select count(*) from (
        select 1 from messages m where m.channel_id = c.id and m.seq > coalesce(r.last_read_seq, 0)
          and m.sender_id <> ${input.userId} and m.deleted_at is null
          and m.client_id not like ${input.hiddenClientIdPrefix + "%"} limit ${input.cap}) unread) as unread,
      -- Mentions are looked for among the last \`cap\` messages only: a bounded index range,
      -- whatever the read position (a new member of an old channel would otherwise scan it all).
      (select count(*) from (
        select 1 from messages m, mine where m.channel_id = c.id
          and m.seq > greatest(coalesce(r.last_read_seq, 0), c.last_seq - ${input.cap})
          and m.sender_id <> ${input.userId} and m.deleted_at is null
          and (${input.userId}::uuid = any(m.mentioned_user_ids) or m.mentions_everyone or m.mentions_here
            or m.mentioned_role_ids && mine.role_ids)
        limit ${input.cap}) mentioned) as mentions
    from channels c
    left join read_positions r on r.channel_id = c.id and r.user_id = ${input.userId}
    where c.id = any(${pgUuidArray(input.channelIds)}::uuid[])`);
  return result.rows.map((row) => ({
    channelId: row.channel_id,
    communityId: row.community_id,
    lastSeq: Number(row.last_seq),
    lastReadSeq: Number(row.last_read_seq),
    unread: Number(row.unread),
    mentions: Number(row.mentions),
  }));
}
