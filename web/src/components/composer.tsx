/**
 * Writes a message: Enter sends, Shift+Enter starts a new line. When the user
 * may not send here, the field is disabled and says why.
 */
import type { Chat } from "../models/chat.ts";
import { describedBy } from "./form-error.tsx";

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
    // isComposing: Enter also confirms an input method's candidate; that must not send.
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    chat.send();
  };
  const isShut = refusal !== null;

  return (
    <form class="composer" onSubmit={onSubmit}>
      {(refusal || hint) && (
        <p id="composer-note" class={isShut ? "composer-note is-refusal" : "composer-note"}>
          {refusal ?? hint}
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
          aria-describedby={describedBy((refusal || hint) && "composer-note")}
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
