/**
 * A call in a conversation, as a line of the timeline ("Missed call from alice",
 * "alice started a call that lasted 2 minutes"): the record the caller's client
 * sealed when the call ended (the server never writes into an encrypted
 * conversation). It is a message like any other for unread counts and order; it
 * shows no toolbar, since there is nothing to reply to, edit or react to.
 */
import type { CallRecordContent } from "../../../../e2ee/index.ts";
import type { Chat } from "../../models/chat.ts";
import type { TimelineEntry } from "../../models/timeline.ts";
import { dateTimeInWords } from "../time-words.ts";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

interface CallRecordLineProps {
  entry: TimelineEntry;
  call: CallRecordContent;
  chat: Chat;
  /** The main list's element id for the line, for jumping to it. */
  id?: string;
}

export function CallRecordLine({ entry, call, chat, id }: CallRecordLineProps) {
  const words = callRecordInWords(call, chat.senderNameOf(entry), entry.isOwn);
  const isMissed = call.outcome !== "answered";
  return (
    <li
      id={id}
      class={`call-record is-${call.outcome}${isMissed ? " is-unanswered" : ""}`}
      tabIndex={id ? -1 : undefined}
    >
      <span class="call-record-icon" aria-hidden="true">
        {call.video ? "🎥" : "📞"}
      </span>{" "}
      <span class="call-record-words">{words}</span>
      {entry.sentAt && (
        <time dateTime={entry.sentAt} title={dateTimeInWords(entry.sentAt)}>
          {timeFormat.format(new Date(entry.sentAt))}
        </time>
      )}
    </li>
  );
}

/** What the line says, from the reader's side: the caller sent the record. */
export function callRecordInWords(call: CallRecordContent, caller: string, isOwnCall: boolean): string {
  const kind = call.video ? "video call" : "call";
  switch (call.outcome) {
    case "answered": {
      const lasted = `that lasted ${durationInWords(call.durationMs)}`;
      return isOwnCall ? `You started a ${kind} ${lasted}` : `${caller} started a ${kind} ${lasted}`;
    }
    case "missed":
      return isOwnCall ? `No answer to your ${kind}` : `Missed ${kind} from ${caller}`;
    case "declined":
      return isOwnCall ? `Your ${kind} was declined` : `Declined ${kind} from ${caller}`;
  }
}

/** "less than a second", "12 seconds", "2 minutes", "1 hour 5 minutes". */
export function durationInWords(durationMs: number): string {
  const seconds = Math.round(durationMs / 1000);
  if (seconds < 1) return "less than a second";
  if (seconds < 60) return counted(seconds, "second");
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return counted(minutes, "minute");
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? counted(hours, "hour") : `${counted(hours, "hour")} ${counted(rest, "minute")}`;
}

const counted = (count: number, unit: string) => `${count} ${unit}${count === 1 ? "" : "s"}`;
