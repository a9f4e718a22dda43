/** Writes a message: Enter sends, Shift+Enter starts a new line. */
import type { Chat } from "../models/chat.ts";

export function Composer({ chat, title }: { chat: Chat; title: string }) {
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    chat.send();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    // isComposing: Enter also confirms an input method's candidate; that must not send.
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    chat.send();
  };

  return (
    <form class="composer" onSubmit={onSubmit}>
      <label for="composer-input" class="visually-hidden">
        Message {title}
      </label>
      <textarea
        id="composer-input"
        rows={2}
        placeholder={`Message ${title}`}
        value={chat.draft.value}
        onInput={(event) => chat.setDraft(event.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" class="primary">
        Send
      </button>
    </form>
  );
}
