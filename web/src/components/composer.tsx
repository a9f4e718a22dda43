/**
 * Writes a message: Enter sends, Shift+Enter starts a new line, "@name" mentions
 * someone. A reply shows what it answers, with a way to drop it (or Escape). Files
 * come by the "Attach files" button, by pasting (a screenshot) or by dropping them on
 * the channel, and wait in a tray above the field, uploading, until the message goes.
 * When the user may not send here, the field is disabled and says why.
 */
import type { Chat } from "../models/chat.ts";
import { AttachButton } from "./files/attach-button.tsx";
import { UploadTray } from "./files/upload-tray.tsx";
import { findBySeq } from "../models/timeline.ts";
import { describedBy } from "./form-error.tsx";
import { excerpt } from "./reply-quote.tsx";
import { sentence } from "./sentence.ts";

interface ComposerProps {
  chat: Chat;
  title: string;
  /** Why sending is not possible, or null when it is. */
  refusal: string | null;
  /** A hint such as slow mode, shown under the field. */
  hint: string | null;
  /** Why files cannot be attached here, or null when they can. */
  attachRefusal: string | null;
  /** Adds files to the message (or says why they cannot be). */
  onFiles(files: File[]): void;
}

export function Composer({ chat, title, refusal, hint, attachRefusal, onFiles }: ComposerProps) {
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
  // A screenshot pasted is attached; pasted text goes into the field as always.
  const onPaste = (event: ClipboardEvent) => {
    const pasted = [...(event.clipboardData?.files ?? [])];
    if (pasted.length === 0) return;
    event.preventDefault();
    onFiles(pasted);
  };
  const isShut = refusal !== null;
  const drafts = chat.attachments;
  const trayNotice = drafts.notice.value;
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
      {!isShut && <UploadTray drafts={drafts} />}
      {trayNotice && !isShut && (
        <p class="composer-note is-refusal" role="status">
          {sentence(trayNotice)}
        </p>
      )}
      <div class="composer-row">
        {!isShut && <AttachButton refusal={attachRefusal} onFiles={onFiles} />}
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
          onPaste={onPaste}
        />
        <button type="submit" class="primary" disabled={isShut}>
          Send
        </button>
      </div>
    </form>
  );
}
