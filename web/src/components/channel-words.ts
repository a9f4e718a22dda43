/** Channels and conversations in words: titles, why the composer is shut, slow mode. */
import type { ChannelView } from "../../../protocol/index.ts";
import { conversationName } from "../models/direct-messages.ts";
import { dateTimeInWords } from "./time-words.ts";

/** "#general" for a community channel, "@bob" for a 1:1 conversation, "bob, carol" for a group. */
export function channelTitle(channel: ChannelView, ownUserId: string): string {
  if (channel.kind === "dm") return `@${conversationName(channel, ownUserId)}`;
  if (channel.kind === "group_dm") return conversationName(channel, ownUserId);
  return `#${channel.name}`;
}

/** Why the user may read but not write here, most specific first (the server's own order). */
export function sendRefusalInWords(channel: ChannelView | null, timedOutUntil: string | null, now = Date.now()) {
  if (channel?.isArchived) return "This channel is archived: it can be read but not written in.";
  if (timedOutUntil && Date.parse(timedOutUntil) > now)
    return `You are timed out in this community until ${dateTimeInWords(timedOutUntil)}: you can read, but not send.`;
  if (channel?.isReadOnly) return "This channel is read-only: only those who manage it post here.";
  if (channel && channel.communityId === null) return "You cannot send messages in this conversation.";
  return "You do not have permission to send messages in this channel.";
}

/** "one message every 30 seconds", "… every 5 minutes", "… every 2 hours". */
export function slowModeInWords(seconds: number): string {
  const [amount, unit] =
    seconds % 3600 === 0
      ? [seconds / 3600, "hour"]
      : seconds % 60 === 0
        ? [seconds / 60, "minute"]
        : [seconds, "second"];
  return `Slow mode: one message every ${amount === 1 ? unit : `${amount} ${unit}s`}.`;
}
