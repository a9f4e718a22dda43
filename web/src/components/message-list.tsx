/**
 * The channel's messages, oldest first. A log region, so screen readers announce
 * new messages; it follows the newest message unless the reader scrolled up.
 */
import { useLayoutEffect, useRef } from "preact/hooks";
import type { Chat } from "../models/chat.ts";
import { MessageItem } from "./message-item.tsx";

/** How close to the bottom still counts as reading the newest messages. */
const FOLLOW_THRESHOLD_PX = 80;

export function MessageList({ chat, title }: { chat: Chat; title: string }) {
  const entries = chat.entries.value;
  const scroller = useRef<HTMLDivElement>(null);
  const isFollowing = useRef(true);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && isFollowing.current) element.scrollTop = element.scrollHeight;
  }, [entries]);

  const onScroll = () => {
    const element = scroller.current;
    if (element)
      isFollowing.current = element.scrollHeight - element.scrollTop - element.clientHeight < FOLLOW_THRESHOLD_PX;
  };

  return (
    <div class="message-scroller" ref={scroller} onScroll={onScroll}>
      {chat.hasOlder.value && (
        <button
          type="button"
          class="load-older"
          onClick={() => void chat.loadOlder()}
          disabled={chat.isLoadingOlder.value}
        >
          Load older messages
        </button>
      )}
      {entries.length === 0 && <p class="placeholder">No messages yet: say hello.</p>}
      <ol class="message-list" role="log" aria-label={`Messages in ${title}`} aria-relevant="additions">
        {entries.map((entry) => (
          <MessageItem key={entry.key} entry={entry} onRetry={() => chat.retry(entry.clientId)} />
        ))}
      </ol>
    </div>
  );
}
