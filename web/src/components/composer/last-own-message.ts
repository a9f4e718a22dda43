/**
 * ↑ in an empty composer edits one's last message (Discord, Slack, Element): the
 * newest message in the channel's main list (not in a thread) that is one's own,
 * stored, readable and not deleted.
 */
import type { TimelineEntry } from "../../models/timeline.ts";

export function lastEditableSeq(entries: readonly TimelineEntry[]): number | null {
  let newest: number | null = null;
  for (const entry of entries) {
    const isEditable =
      entry.isOwn && !entry.isDeleted && !entry.isHidden && entry.text !== null && entry.threadRootSeq === null;
    if (isEditable && entry.seq !== null && entry.state === "stored" && (newest === null || entry.seq > newest))
      newest = entry.seq;
  }
  return newest;
}
