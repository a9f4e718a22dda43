/** The channel's pinned messages beside it, newest pin first, each with a way to show it in the channel. */
import type { Chat } from "../models/chat.ts";
import { MessageItem } from "./message-item.tsx";
import { sentence } from "./sentence.ts";
import { useFocusOnMount } from "./use-focus-on-mount.ts";

export function PinsPanel({ chat, ownUserId }: { chat: Chat; ownUserId: string }) {
  const { panels } = chat;
  const pinned = panels.pinned.value;
  const problem = panels.problem.value;
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <aside
      class="side-panel"
      aria-labelledby="pins-heading"
      onKeyDown={(event) => event.key === "Escape" && panels.close()}
    >
      <header class="side-panel-header">
        <h3 id="pins-heading" tabIndex={-1} ref={heading}>
          Pinned messages
        </h3>
        <button type="button" class="small" onClick={() => panels.close()}>
          Close pinned messages
        </button>
      </header>
      {problem && (
        <p class="error" role="alert">
          {sentence(problem)}
        </p>
      )}
      <div class="side-panel-scroller">
        {pinned.length === 0 && !panels.isLoading.value && <p class="placeholder">Nothing is pinned here.</p>}
        <ol class="message-list" aria-label="Pinned messages">
          {pinned.map((entry) => (
            <MessageItem key={entry.key} entry={entry} chat={chat} ownUserId={ownUserId} place="pins" />
          ))}
        </ol>
      </div>
    </aside>
  );
}
