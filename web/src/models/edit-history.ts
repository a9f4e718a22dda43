/**
 * An edited message's versions, oldest first, as its reader's device opens them:
 * the server keeps each earlier payload sealed as it was sent, so each is opened by
 * the channel's encryption like the message itself (beside it, under its seq), and
 * one that cannot be opened says why instead of hiding.
 */
import type { MessageView } from "../../../protocol/index.ts";
import type { Chat } from "./chat.ts";
import type { TimelineEntry } from "./timeline.ts";

export interface MessageVersionReading {
  /** The words of this version (null: not readable here; see `unreadable`). */
  text: string | null;
  unreadable: string | null;
  /** When this version was written: its sender's sealed clock, else the server's. */
  writtenAt: string;
  /** When a later edit replaced it (null: the current version). */
  replacedAt: string | null;
}

export async function readEditHistory(chat: Chat, entry: TimelineEntry): Promise<MessageVersionReading[]> {
  const { view, seq } = entry;
  if (!view || seq === null) return [];
  const versions = await chat.history.versionsOf(seq);
  // Event 0: a reading of an old payload that arrives later (keys came) never replaces the message's own.
  const earlier: MessageView[] = versions.map((version) => ({ ...view, payload: version.payload, event: 0 }));
  await chat.encryption.afterOpening(earlier, () => undefined);
  const readings = earlier.map((version, index): MessageVersionReading => {
    const reading = chat.encryption.readingOf(version);
    const { sentAt, replacedAt } = versions[index]!;
    return reading.kind === "text"
      ? { text: reading.text, unreadable: null, writtenAt: reading.sealedAt ?? sentAt, replacedAt }
      : {
          text: null,
          unreadable:
            reading.kind === "unreadable"
              ? reading.reason
              : reading.kind === "opening"
                ? "This version could not be opened on this device just now."
                : "This version is not a text this app shows.",
          writtenAt: sentAt,
          replacedAt,
        };
  });
  const current: MessageVersionReading = {
    text: entry.text,
    unreadable: entry.unreadable,
    writtenAt: entry.editedAt ?? entry.sealedAt ?? entry.sentAt ?? "",
    replacedAt: null,
  };
  return [...readings, current];
}
