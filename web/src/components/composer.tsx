/**
 * Writes a message: Enter sends, Shift+Enter starts a new line, "@name" mentions
 * someone. A reply shows what it answers, with a way to drop it (or Escape).
 * When the user may not send here, the field is disabled and says why.
 */
import type { Chat } from "../models/chat.ts";
import { findBySeq } from "../models/timeline.ts";
import { describedBy } from "./form-error.tsx";
import { excerpt } from "./reply-quote.tsx";

interface ComposerProps {
  chat: Chat;
  title: string;
  /** Why sending is not possible, or null when it is. */
  refusal: string | null;
  /** A hint such as slow mode, shown under the field. */
  hint: string | null;
}

export function Composer({ chat, title, refusal, hint }: ComposerProps) {
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    chat.send();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape" && chat.replyingTo.value !== null) {
      event.preventDefault();
      return chat.cancelReply();
    }
    // isComposing: Enter also confirms an input method's candidate; that must not send.
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    chat.send();
  };
  const isShut = refusal !== null;
  const replyingTo = chat.replyingTo.value;
  const target = replyingTo === null ? null : findBySeq(chat.entries.value, replyingTo);

  return (
    <form class="composer" onSubmit={onSubmit}>
      {(refusal || hint) && (
        <p id="composer-note" class={isShut ? "composer-note is-refusal" : "composer-note"}>
          {refusal ?? hint}
        </p>
      )}
      {replyingTo !== null && !isShut && (
        <p id="composer-reply" class="composer-reply">
          <span>
            Replying to {target ? `${target.senderName}: ${excerpt(target.text ?? "a message")}` : "a message"}
          </span>
          <button type="button" class="link-button" onClick={() => chat.cancelReply()}>
            Cancel reply
          </button>
        </p>
      )}
      <div class="composer-row">
        <label for="composer-input" class="visually-hidden">
          Message {title}
        </label>
        <textarea
          id="composer-input"
          rows={2}
          placeholder={isShut ? "You cannot send messages here" : `Message ${title}`}
          value={chat.draft.value}
          disabled={isShut}
          aria-describedby={describedBy((refusal || hint) && "composer-note", replyingTo !== null && "composer-reply")}
          onInput={(event) => chat.setDraft(event.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" class="primary" disabled={isShut}>
          Send
        </button>
      </div>
    </form>
  );
}
