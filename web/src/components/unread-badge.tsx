/**
 * A channel's or community's unread and mention counts, as small pills (mentions
 * stand out); a muted one with something new gets a grey mark without a count. The
 * pills are hidden from screen readers: `unreadInWords` goes in the link's
 * description, so the link's name stays the channel's name.
 */
import { UNREAD_COUNT_CAP } from "../../../protocol/index.ts";
import type { UnreadCount } from "../models/unread.ts";
import "./notifications/notifications.css";

const shown = (count: number) => (count >= UNREAD_COUNT_CAP ? `${UNREAD_COUNT_CAP - 1}+` : String(count));

export function UnreadBadge({ count }: { count: UnreadCount | undefined }) {
  if (count?.isQuiet) return <span class="unread-badge is-quiet" aria-hidden="true" title="Muted" />;
  if (!count || (count.unread === 0 && count.mentions === 0)) return null;
  return (
    <span class="unread-badges" aria-hidden="true">
      {count.mentions > 0 && <span class="unread-badge is-mention">@{shown(count.mentions)}</span>}
      {count.unread > 0 && <span class="unread-badge">{shown(count.unread)}</span>}
    </span>
  );
}

/** "3 unread messages, 1 mention", "muted, new messages", or null when there is nothing unread. */
export function unreadInWords(count: UnreadCount | undefined): string | null {
  if (count?.isQuiet) return "muted, new messages";
  if (!count || (count.unread === 0 && count.mentions === 0)) return null;
  const parts = [];
  if (count.unread > 0) parts.push(`${shown(count.unread)} unread ${count.unread === 1 ? "message" : "messages"}`);
  if (count.mentions > 0) parts.push(`${shown(count.mentions)} ${count.mentions === 1 ? "mention" : "mentions"}`);
  return parts.join(", ");
}
