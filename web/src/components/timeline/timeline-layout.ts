/**
 * How the main list lays out its messages, as Discord's cozy mode does: a person's
 * messages a few minutes apart share one header, each day starts under a divider
 * ("Today", "Yesterday", "Monday 30 November 2026"), and the first message the
 * reader has not read starts under a "New" divider. Pure functions over the rows.
 */
import type { UnreadSpan } from "../../models/history-browsing.ts";
import type { MainListRow, TimelineEntry } from "../../models/timeline.ts";

/** A message this soon after the previous one from the same person joins its group. */
export const GROUP_WINDOW_MS = 7 * 60_000;

export interface MessageLayout {
  /** Shown under the previous message's header: no avatar, no name. */
  isContinuation: boolean;
  /** The day divider above it, in words (null: same day as the message before). */
  day: string | null;
  /** The first message not read when the channel opened: the "New" divider goes above it. */
  isFirstUnread: boolean;
}

/** The time a message shows: its sender's sealed clock, else the server's. */
export const shownTimeOf = (entry: Pick<TimelineEntry, "sealedAt" | "sentAt">) => entry.sealedAt ?? entry.sentAt;

const dayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
});
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

/** "10:42" */
export const timeInWords = (iso: string) => timeFormat.format(new Date(iso));
/** "Monday 30 November 2026 at 10:42": a timestamp's title. */
export const fullDateTimeInWords = (iso: string) => fullFormat.format(new Date(iso));

const startOfDay = (time: number) => {
  const day = new Date(time);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
};

/** "Today", "Yesterday", or the date in full. */
export function dayInWords(iso: string, now = Date.now()): string {
  const day = startOfDay(Date.parse(iso));
  const today = startOfDay(now);
  if (day === today) return "Today";
  // Days are not all 24 hours long (daylight saving): yesterday is the start of the day before today's.
  if (day === startOfDay(today - 1)) return "Yesterday";
  return dayFormat.format(new Date(day));
}

/** Someone else's message that was not read when the channel opened. */
const isUnread = (row: MainListRow, unread: UnreadSpan): row is Extract<MainListRow, { kind: "message" }> =>
  row.kind === "message" &&
  row.entry.seq !== null &&
  row.entry.seq > unread.afterSeq &&
  row.entry.seq <= unread.upToSeq &&
  !row.entry.isOwn &&
  !row.entry.isDeleted;

/** The first message not read when the channel opened, among the loaded rows (null: none). */
export function firstUnreadSeq(rows: readonly MainListRow[], unread: UnreadSpan | null): number | null {
  if (!unread) return null;
  const first = rows.find((row) => isUnread(row, unread));
  return first?.kind === "message" ? first.entry.seq : null;
}

/** How many messages were not read when the channel opened, among the loaded rows. */
export function unreadCount(rows: readonly MainListRow[], unread: UnreadSpan | null): number {
  return unread ? rows.filter((row) => isUnread(row, unread)).length : 0;
}

/**
 * The layout of each message row, by entry key. A group breaks at another sender, a
 * pause longer than GROUP_WINDOW_MS, a divider, a hole in the history, a reply (its
 * quote wants the header), a call line, or a removed message.
 */
export function layoutOf(
  rows: readonly MainListRow[],
  firstUnread: number | null,
  now = Date.now(),
): Map<string, MessageLayout> {
  const layouts = new Map<string, MessageLayout>();
  let previous: TimelineEntry | null = null;
  let previousDay: string | null = null;
  for (const row of rows) {
    if (row.kind === "gap") {
      previous = null;
      continue;
    }
    const { entry } = row;
    const shownAt = shownTimeOf(entry);
    const day: string | null = shownAt ? dayInWords(shownAt, now) : previousDay;
    const isNewDay = day !== null && day !== previousDay;
    const isFirstUnread = entry.seq !== null && entry.seq === firstUnread;
    layouts.set(entry.key, {
      isContinuation: !isNewDay && !isFirstUnread && continues(previous, entry),
      day: isNewDay ? day : null,
      isFirstUnread,
    });
    previous = entry;
    previousDay = day;
  }
  return layouts;
}

function continues(previous: TimelineEntry | null, entry: TimelineEntry): boolean {
  if (!previous || previous.senderId !== entry.senderId) return false;
  if (entry.replyToSeq !== null || entry.call || previous.call || entry.isDeleted || previous.isDeleted) return false;
  const before = shownTimeOf(previous);
  const after = shownTimeOf(entry);
  // A message still on its way has no server time yet: it joins the group it is written after.
  if (!before || !after) return true;
  const pause = Date.parse(after) - Date.parse(before);
  return pause >= 0 && pause <= GROUP_WINDOW_MS;
}
