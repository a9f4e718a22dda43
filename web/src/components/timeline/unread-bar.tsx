/**
 * Over the top of the list while the "New" divider is scrolled out of view above:
 * "12 new messages since 10:42", with Jump (to the divider) and Mark as read.
 */
import { dayInWords, timeInWords } from "./timeline-layout.ts";

interface UnreadBarProps {
  count: number;
  /** When the first unread message was sent. */
  since: string | null;
  onJump(): void;
  onMarkRead(): void;
}

export function UnreadBar({ count, since, onJump, onMarkRead }: UnreadBarProps) {
  const words = `${count === 1 ? "1 new message" : `${count} new messages`}${since ? ` since ${sinceInWords(since)}` : ""}`;
  return (
    <div class="unread-bar" role="region" aria-label="New messages">
      <button type="button" class="unread-bar-jump" onClick={onJump}>
        <span class="unread-bar-words">{words}</span>
        <span class="unread-bar-action">Jump</span>
      </button>
      <button type="button" class="unread-bar-read" onClick={onMarkRead}>
        Mark as read
      </button>
    </div>
  );
}

/** "10:42", or "yesterday at 16:05", or "Monday 30 November 2026 at 09:12". */
function sinceInWords(iso: string): string {
  const day = dayInWords(iso);
  if (day === "Today") return timeInWords(iso);
  return `${day === "Yesterday" ? "yesterday" : day} at ${timeInWords(iso)}`;
}
