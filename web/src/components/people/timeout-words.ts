/** A time-out in words: "You are timed out until 14:05 (in 10 minutes): spamming". */
import { dateTimeInWords } from "../time-words.ts";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: "always" });
const MINUTE_MS = 60_000;

/** "in 10 minutes", "in 3 hours", "in 7 days"; under a minute, "in less than a minute". */
export function remainingInWords(until: string, now = Date.now()): string {
  const minutes = Math.round((Date.parse(until) - now) / MINUTE_MS);
  if (minutes < 1) return "in less than a minute";
  if (minutes < 60) return relativeFormat.format(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (hours < 24) return relativeFormat.format(hours, "hour");
  return relativeFormat.format(Math.round(hours / 24), "day");
}

/** The clock time alone when it is today, else the date too. */
export function untilInWords(until: string, now = Date.now()): string {
  const end = new Date(until);
  return end.toDateString() === new Date(now).toDateString() ? timeFormat.format(end) : dateTimeInWords(until);
}

/** `subject` is "You are" or "mallory is"; the reason follows a colon when there is one. */
export function timeoutInWords(subject: string, until: string, reason: string | null, now = Date.now()): string {
  const when = `${subject} timed out until ${untilInWords(until, now)} (${remainingInWords(until, now)})`;
  return reason ? `${when}: ${reason}` : when;
}
