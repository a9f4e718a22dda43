/**
 * The composer's slow mode note: "Slow mode: one message every 10 seconds." and, right
 * after one's own message, "Slow mode: wait 8 s before your next message.", counting down
 * once a second. Those the server exempts (managing messages or the channel) see only the
 * first, as the room never makes them wait (rooms/room-access.ts, slowMode).
 */
import { useEffect, useState } from "preact/hooks";
import type { ChannelView } from "../../../../protocol/index.ts";
import type { TimelineEntry } from "../../models/timeline.ts";
import { slowModeInWords } from "../channel-words.ts";

const TICK_MS = 1_000;

export function useSlowModeHint(
  channel: ChannelView | null,
  entries: readonly TimelineEntry[],
  permissions: readonly string[] | null,
): string | null {
  const [now, setNow] = useState(Date.now);
  const seconds = channel?.slowModeSeconds ?? 0;
  const isExempt = !!permissions?.some((name) => name === "MANAGE_MESSAGES" || name === "MANAGE_CHANNELS");
  let lastSent = 0;
  for (const entry of entries) {
    if (entry.isOwn && !entry.isHidden && entry.state === "stored" && entry.sentAt)
      lastSent = Math.max(lastSent, Date.parse(entry.sentAt));
  }
  const waitMs = seconds > 0 && !isExempt && lastSent > 0 ? lastSent + seconds * 1000 - now : 0;

  useEffect(() => {
    if (waitMs <= 0) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.min(TICK_MS, waitMs));
    return () => clearTimeout(timer);
  }, [waitMs, lastSent]);
  // A new message of one's own starts the count again from now.
  useEffect(() => setNow(Date.now()), [lastSent]);

  if (seconds === 0) return null;
  if (waitMs > 0) return `Slow mode: wait ${Math.ceil(waitMs / 1000)} s before your next message.`;
  return slowModeInWords(seconds);
}
