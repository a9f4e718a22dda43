/**
 * The channel's messages, oldest first, without thread replies (those live in
 * their thread), laid out as Discord's cozy mode does (`timeline/timeline-layout.ts`):
 * a person's consecutive messages under one header, day dividers, a "New" divider
 * at the first message not read when the channel opened. A log region, so screen
 * readers announce new messages; it follows the newest message unless the reader
 * scrolled up (then "Jump to present" brings them back), and brings a message
 * jumped to into view. While the "New" divider is above the view, a bar says how
 * many are new.
 */
import type { VNode } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Chat } from "../models/chat.ts";
import { findBySeq } from "../models/timeline.ts";
import { MessageItem, messageElementId } from "./message-item.tsx";
import { RosterChangeLine } from "./roster-change-line.tsx";
import { ActionSheet } from "./timeline/action-sheet.tsx";
import { EditHistoryDialog } from "./timeline/edit-history-dialog.tsx";
import { Icon } from "./timeline/icons.tsx";
import { firstUnreadSeq, layoutOf, shownTimeOf, unreadCount, type MessageLayout } from "./timeline/timeline-layout.ts";
import { UnreadBar } from "./timeline/unread-bar.tsx";
import { onChannelRead } from "./keyboard/channel-read-event.ts";

/** How close to the bottom still counts as reading the newest messages. */
const FOLLOW_THRESHOLD_PX = 80;
/** Scrolled up further than this (in screens) offers "Jump to present". */
const JUMP_TO_PRESENT_SCREENS = 0.5;

export function MessageList({ chat, title, ownUserId }: { chat: Chat; title: string; ownUserId: string }) {
  const rows = chat.rows.value;
  const changes = chat.encryption.rosterChanges.value;
  const people = chat.people();
  const firstUnread = firstUnreadSeq(rows, chat.history.unreadAtOpen.value);
  const layouts = layoutOf(rows, firstUnread);
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
  // Esc marks the channel read (the keyboard layer): the "New" divider goes, as with "Mark as read".
  useEffect(() => onChannelRead((id) => id === chat.channel.peek()?.id && chat.history.putUnreadBehind()), [chat]);
  const scroller = useRef<HTMLDivElement>(null);
  const isFollowing = useRef(true);
  const [isNewAbove, setNewAbove] = useState(false);
  const [isScrolledUp, setScrolledUp] = useState(false);

  /** What the reader's scroll position shows: the "New" divider above the view, or older messages only. */
  const lookAround = () => {
    const element = scroller.current;
    if (!element) return;
    const fromBottom = element.scrollHeight - element.scrollTop - element.clientHeight;
    isFollowing.current = fromBottom < FOLLOW_THRESHOLD_PX;
    setScrolledUp(fromBottom > element.clientHeight * JUMP_TO_PRESENT_SCREENS);
    const divider = element.querySelector("#new-messages-divider");
    setNewAbove(!!divider && divider.getBoundingClientRect().bottom < element.getBoundingClientRect().top);
  };

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && isFollowing.current) element.scrollTop = element.scrollHeight;
    lookAround();
  }, [rows, firstUnread]);

  // The composer growing (a tray of files) shrinks the list: one that followed the newest message still shows it.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      if (isFollowing.current) element.scrollTop = element.scrollHeight;
      lookAround();
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

  const jumpToUnread = () => {
    // More were unread than the newest page holds: the page around the first of them is read first.
    const unread = chat.history.unreadAtOpen.peek();
    const oldestLoaded = rows.find((row) => row.kind === "message" && row.entry.seq !== null);
    if (unread && oldestLoaded?.kind === "message" && oldestLoaded.entry.seq! > unread.afterSeq + 1)
      return void chat.history.jumpTo(unread.afterSeq + 1);
    const divider = scroller.current?.querySelector("#new-messages-divider");
    divider?.scrollIntoView({ block: "start" });
    if (firstUnread !== null) document.getElementById(messageElementId(firstUnread))?.focus({ preventScroll: true });
  };
  const jumpToPresent = async () => {
    // After a jump to an old message the newest ones may not be loaded: read them first.
    if (rows.some((row) => row.kind === "gap")) await chat.history.loadNewest();
    const element = scroller.current;
    if (!element) return;
    isFollowing.current = true;
    element.scrollTop = element.scrollHeight;
  };
  const isLoading = chat.history.isLoading.value;
  const firstUnreadEntry = firstUnread === null ? null : findBySeq(chat.entries.value, firstUnread);
  const versionsEntry = seqEntry(chat, chat.actions.versionsOf.value);
  const sheetEntry = seqEntry(chat, chat.actions.sheet.value);

  return (
    <div class="timeline-frame">
      {isNewAbove && firstUnreadEntry && (
        <UnreadBar
          count={unreadCount(rows, chat.history.unreadAtOpen.value)}
          since={shownTimeOf(firstUnreadEntry)}
          onJump={jumpToUnread}
          onMarkRead={() => chat.history.putUnreadBehind()}
        />
      )}
      <div class="message-scroller" ref={scroller} onScroll={lookAround}>
        {chat.history.hasOlder.value && (
          <button type="button" class="load-older" onClick={() => void chat.history.loadOlder()} disabled={isLoading}>
            Load older messages
          </button>
        )}
        {rows.length === 0 && <p class="placeholder">No messages yet: say hello.</p>}
        {/* The log holds the list: a list given the log's role would leave its items outside any list. */}
        <div role="log" aria-label={`Messages in ${title}`} aria-relevant="additions">
          <ol class="message-list timeline">
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
                withRosterLines(lines(changesBefore(row.entry.sentAt)), (hasLines) => (
                  <MessageItem
                    key={row.entry.key}
                    entry={row.entry}
                    chat={chat}
                    ownUserId={ownUserId}
                    place="main"
                    replyCount={row.replyCount}
                    isHighlighted={highlighted?.seq === row.entry.seq}
                    layout={breakGroup(layouts.get(row.entry.key), hasLines)}
                  />
                ))
              ),
            )}
            {lines(changes.filter((change) => !placed.has(change)))}
          </ol>
        </div>
      </div>
      {isScrolledUp && (
        <button type="button" class="jump-to-present" onClick={() => void jumpToPresent()}>
          Jump to present <Icon name="down" />
        </button>
      )}
      {versionsEntry && <EditHistoryDialog key={versionsEntry.key} chat={chat} entry={versionsEntry} />}
      {sheetEntry && <ActionSheet key={sheetEntry.key} chat={chat} entry={sheetEntry} />}
    </div>
  );
}

/** A line about who can read the channel, between two messages, starts a new group after it. */
const breakGroup = (layout: MessageLayout | undefined, hasLinesBefore: boolean) =>
  layout && hasLinesBefore ? { ...layout, isContinuation: false } : layout;

function withRosterLines(lines: VNode[], message: (hasLines: boolean) => VNode): VNode[] {
  return [...lines, message(lines.length > 0)];
}

const seqEntry = (chat: Chat, seq: number | null) => (seq === null ? null : findBySeq(chat.entries.value, seq));
