/** A mute in words: "Muted until 16:30", "Muted until 8 Dec 2026, 09:00", "Muted until you turn it back on". */
import { MUTED_FOREVER } from "../../../../protocol/notifications.ts";

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** Null when not muted (or the mute has run out). */
export function mutedInWords(mutedUntil: string | null, now = Date.now()): string | null {
  if (mutedUntil === null) return null;
  if (mutedUntil === MUTED_FOREVER) return "Muted until you turn it back on";
  const until = new Date(mutedUntil);
  if (!(until.getTime() > now)) return null;
  const isToday = until.toDateString() === new Date(now).toDateString();
  return `Muted until ${(isToday ? timeFormat : dateTimeFormat).format(until)}`;
}
