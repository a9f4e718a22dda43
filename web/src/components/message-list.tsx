/**
 * The channel's messages, oldest first, without thread replies (those live in
 * their thread). A log region, so screen readers announce new messages; it
 * follows the newest message unless the reader scrolled up, and brings a message
 * jumped to into view.
 */
import { useLayoutEffect, useRef } from "preact/hooks";
import type { Chat } from "../models/chat.ts";
import { MessageItem, messageElementId } from "./message-item.tsx";
import { RosterChangeLine } from "./roster-change-line.tsx";

/** How close to the bottom still counts as reading the newest messages. */
const FOLLOW_THRESHOLD_PX = 80;

export function MessageList({ chat, title, ownUserId }: { chat: Chat; title: string; ownUserId: string }) {
  const rows = chat.rows.value;
  const changes = chat.encryption.rosterChanges.value;
  const people = chat.people();
  /** Each roster change goes before the first message sent after it; the rest after the last. */
  const changesBefore = (sentAt: string | null) => {
    if (sentAt === null) return [];
    const time = Date.parse(sentAt);
    return changes.filter((change) => change.at <= time && !placed.has(change));
  };
  const placed = new Set<(typeof changes)[number]>();
  const lines = (list: typeof changes) =>
    list.map((change) => {
      placed.add(change);
      return <RosterChangeLine key={`roster-${change.epoch}`} change={change} people={people} />;
    });
  const highlighted = chat.history.highlighted.value;
  const scroller = useRef<HTMLDivElement>(null);
  const isFollowing = useRef(true);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && isFollowing.current) element.scrollTop = element.scrollHeight;
  }, [rows]);

  // The composer growing (a tray of files) shrinks the list: one that followed the newest message still shows it.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      if (isFollowing.current) element.scrollTop = element.scrollHeight;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    if (!highlighted) return;
    const target = document.getElementById(messageElementId(highlighted.seq));
    if (!target) return;
    isFollowing.current = false;
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }, [highlighted]);

  const onScroll = () => {
    const element = scroller.current;
    if (element)
      isFollowing.current = element.scrollHeight - element.scrollTop - element.clientHeight < FOLLOW_THRESHOLD_PX;
  };
  const isLoading = chat.history.isLoading.value;

  return (
    <div class="message-scroller" ref={scroller} onScroll={onScroll}>
      {chat.history.hasOlder.value && (
        <button type="button" class="load-older" onClick={() => void chat.history.loadOlder()} disabled={isLoading}>
          Load older messages
        </button>
      )}
      {rows.length === 0 && <p class="placeholder">No messages yet: say hello.</p>}
      <ol class="message-list" role="log" aria-label={`Messages in ${title}`} aria-relevant="additions">
        {rows.map((row) =>
          row.kind === "gap" ? (
            <li key={`gap-${row.afterSeq}`} class="history-gap">
              <button
                type="button"
                class="small"
                onClick={() => void chat.history.loadAfter(row.afterSeq)}
                disabled={isLoading}
              >
                Load the messages in between
              </button>
            </li>
          ) : (
            [
              ...lines(changesBefore(row.entry.sentAt)),
              <MessageItem
                key={row.entry.key}
                entry={row.entry}
                chat={chat}
                ownUserId={ownUserId}
                place="main"
                replyCount={row.replyCount}
                isHighlighted={highlighted?.seq === row.entry.seq}
              />,
            ]
          ),
        )}
        {lines(changes.filter((change) => !placed.has(change)))}
      </ol>
    </div>
  );
}
