/**
 * Fills one channel with `rows` messages straight in SQL (far faster than sending
 * them): seq and event 1..rows, the given sender, a distinct client id and a
 * 200-byte payload each, one a second of sent_at ending now; then moves the
 * channel's last_seq and last_event to match, as appendMessages would, and
 * ANALYZEs, so the planner knows the table's new size.
 */
import type { TestDatabase } from "../test/support/database.ts";
import { withClient } from "./bench-database.ts";

/** Rows per INSERT: bounded so each statement's memory and WAL stay modest. */
const CHUNK_ROWS = 250_000;

export async function fillChannel(
  database: TestDatabase,
  fill: { channelId: string; senderId: string; rows: number },
): Promise<void> {
  await withClient(database, async (client) => {
    // Only this bulk load skips waiting for WAL flushes; the server's own sessions are untouched.
    await client.query("set synchronous_commit = off");
    for (let first = 1; first <= fill.rows; first += CHUNK_ROWS) {
      const last = Math.min(fill.rows, first + CHUNK_ROWS - 1);
      await client.query(
        `insert into messages (channel_id, seq, event, sender_id, client_id, payload, payload_bytes, sent_at)
         select $1, n, n, $2, 'fill-' || n,
           -- 200 bytes: the row number's 4 bytes, 50 times; like a real payload, under the 2 KB TOAST threshold
           decode(repeat(lpad(to_hex(n), 8, '0'), 50), 'hex'), 200,
           now() - make_interval(secs => $4 - n)
         from generate_series($3::bigint, $5::bigint) as n`,
        [fill.channelId, fill.senderId, first, fill.rows, last],
      );
    }
    await client.query("update channels set last_seq = $2, last_event = $2 where id = $1", [fill.channelId, fill.rows]);
    await client.query("analyze messages");
  });
}
