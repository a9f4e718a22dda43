/**
 * A thread beside the channel: its first message, its replies (live) and a
 * composer that posts into it. Escape or "Close thread" returns to the channel.
 */
import type { Chat } from "../models/chat.ts";
import { MessageItem } from "./message-item.tsx";
import { sentence } from "./sentence.ts";
import { useFocusOnMount } from "./use-focus-on-mount.ts";

export function ThreadPanel({ chat, ownUserId, isShut }: { chat: Chat; ownUserId: string; isShut: boolean }) {
  const { panels } = chat;
  const root = panels.threadRoot.value;
  const replies = panels.threadReplies.value;
  const problem = panels.problem.value;
  const heading = useFocusOnMount<HTMLHeadingElement>();

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      chat.sendToThread();
    }
  };

  return (
    <aside
      class="side-panel"
      aria-labelledby="thread-heading"
      onKeyDown={(event) => event.key === "Escape" && !event.defaultPrevented && panels.close()}
    >
      <header class="side-panel-header">
        <h3 id="thread-heading" tabIndex={-1} ref={heading}>
          Thread
        </h3>
        <button type="button" class="small" onClick={() => panels.close()}>
          Close thread
        </button>
      </header>
      {problem && (
        <p class="error" role="alert">
          {sentence(problem)}
        </p>
      )}
      <div class="side-panel-scroller">
        {root && (
          <ol class="message-list thread-root" aria-label="First message of the thread">
            <MessageItem entry={root} chat={chat} ownUserId={ownUserId} place="thread" />
          </ol>
        )}
        <p class="thread-count">
          {panels.isLoading.value
            ? "Loading replies…"
            : replies.length === 0
              ? "No replies yet."
              : replies.length === 1
                ? "1 reply"
                : `${replies.length} replies`}
        </p>
        <ol class="message-list" aria-label="Replies in the thread">
          {replies.map((entry) => (
            <MessageItem key={entry.key} entry={entry} chat={chat} ownUserId={ownUserId} place="thread" />
          ))}
        </ol>
      </div>
      {!isShut && (
        <form
          class="composer"
          onSubmit={(event) => {
            event.preventDefault();
            chat.sendToThread();
          }}
        >
          <div class="composer-row">
            <label for="thread-input" class="visually-hidden">
              Reply in this thread
            </label>
            <textarea
              id="thread-input"
              rows={2}
              placeholder="Reply in this thread"
              value={panels.threadDraft.value}
              onInput={(event) => chat.setThreadDraft(event.currentTarget.value)}
              onKeyDown={onKeyDown}
            />
            <button type="submit" class="primary">
              Post reply
            </button>
          </div>
        </form>
      )}
    </aside>
  );
}
