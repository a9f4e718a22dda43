/**
 * The custom status as the profile queries select it, shared by every list that shows
 * people (members, DM participants, one's own account). Not a module of queries: the
 * registry in index.ts leaves it out. An expired status is never handed back, so it
 * clears at its expiry without a sweeper rewriting rows.
 */
import { users } from "../schema.ts";

export interface CustomStatusRecord {
  text: string;
  emoji: string | null;
  expiresAt: Date | null;
}

/** The columns to select beside a person's name. */
export const customStatusFields = {
  statusText: users.statusText,
  statusEmoji: users.statusEmoji,
  statusExpiresAt: users.statusExpiresAt,
};

/** The status while it lasts, else null. Dates may arrive as strings from JSON aggregates. */
export function liveCustomStatus(
  row: { statusText: string | null; statusEmoji: string | null; statusExpiresAt: Date | string | null },
  now = Date.now(),
): CustomStatusRecord | null {
  if (!row.statusText) return null;
  const expiresAt = row.statusExpiresAt === null ? null : new Date(row.statusExpiresAt);
  if (expiresAt && expiresAt.getTime() <= now) return null;
  return { text: row.statusText, emoji: row.statusEmoji, expiresAt };
}
