/**
 * Writes a message: Enter sends, Shift+Enter starts a new line. As one types,
 * `:tada` offers emoji, `@bo` people (and @here and @everyone for those allowed),
 * `#gen` channels; the smiley button opens the emoji picker. ↑ in an empty field
 * edits one's last message. The text is kept per channel across reloads until sent
 * (composer/use-saved-draft.ts); one too long for a message is offered as a file.
 * A reply shows what it answers, with a way to drop it (or Escape). Files come by
 * the "Attach files" button, by pasting (a screenshot) or by dropping them on the
 * channel, and wait in a tray above the field, uploading, until the message goes.
 * When the user may not send here, the field is disabled and says why.
 */
import { useRef, useState } from "preact/hooks";
import type { ChannelView } from "../../../protocol/index.ts";
import type { Chat } from "../models/chat.ts";
import { ContentError, textContent } from "../models/content.ts";
import type { Session } from "../models/session.ts";
import { findBySeq } from "../models/timeline.ts";
import { lastEditableSeq } from "./composer/last-own-message.ts";
import { optionId, SuggestionList } from "./composer/suggestion-list.tsx";
import { MESSAGE_FILE_NAME, TooLongOffer } from "./composer/too-long-offer.tsx";
import { useCaretAfterRender } from "./composer/use-caret.ts";
import { useCompletion } from "./composer/use-completion.ts";
import { useSavedDraft } from "./composer/use-saved-draft.ts";
import { EmojiPicker } from "./emoji/emoji-picker.tsx";
import { AttachButton } from "./files/attach-button.tsx";
import { UploadTray } from "./files/upload-tray.tsx";
import { describedBy } from "./form-error.tsx";
import { excerpt } from "./reply-quote.tsx";
import { ownStanding } from "../models/moderation.ts";
import { timeoutInWords } from "./people/timeout-words.ts";
import { sentence } from "./sentence.ts";
import "./composer/composer.css";

const SUGGESTION_LIST_ID = "composer-suggestions";

interface ComposerProps {
  chat: Chat;
  session: Session;
  channelId: string;
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

export function Composer(props: ComposerProps) {
  const { chat, session, channelId, title, refusal, hint, attachRefusal, onFiles } = props;
  const field = useRef<HTMLTextAreaElement>(null);
  const [isPickerOpen, setPickerOpen] = useState(false);
  /** The length of a message too long to send, while the composer offers it as a file. */
  const [tooLong, setTooLong] = useState<number | null>(null);
  const placeCaret = useCaretAfterRender(field);
  useSavedDraft(chat, session.user.value?.id ?? "", channelId);
  const text = chat.draft.value;
  const communityId = chat.channel.value?.communityId ?? null;
  const completion = useCompletion({
    field,
    text,
    setText: (next) => chat.setDraft(next),
    placeCaret,
    people: chat.people,
    canMentionEveryone: chat.permissions.value?.includes("MENTION_EVERYONE") ?? false,
    loadChannels: communityId
      ? () =>
          session
            .request<{ channels: ChannelView[] }>(`/api/communities/${encodeURIComponent(communityId)}/channels`)
            .then((answer) => answer.channels)
      : null,
  });

  const send = () => {
    if (isTooLong(chat.draft.peek())) return setTooLong(chat.draft.peek().trim().length);
    chat.send();
  };
  const sendAsFile = () => {
    const file = new File([chat.draft.peek()], MESSAGE_FILE_NAME, { type: "text/plain" });
    setTooLong(null);
    onFiles([file]);
    chat.draft.value = "";
    chat.send();
    field.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (completion.handleKey(event)) return;
    if (event.key === "Escape" && chat.replyingTo.value !== null) {
      event.preventDefault();
      return chat.cancelReply();
    }
    if (event.key === "ArrowUp" && text === "" && !event.shiftKey && !event.altKey && !event.ctrlKey) {
      const seq = lastEditableSeq(chat.entries.peek());
      if (seq === null) return;
      event.preventDefault();
      return chat.actions.startEditing(seq);
    }
    // isComposing: Enter also confirms an input method's candidate; that must not send.
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    send();
  };
  // A screenshot pasted is attached; pasted text goes into the field as always.
  const onPaste = (event: ClipboardEvent) => {
    const pasted = [...(event.clipboardData?.files ?? [])];
    if (pasted.length === 0) return;
    event.preventDefault();
    onFiles(pasted);
  };
  /** The picked emoji goes where the caret was (replacing a selection), and the caret after it. */
  const insertEmoji = (emoji: string) => {
    const element = field.current;
    const start = element?.selectionStart ?? text.length;
    const end = element?.selectionEnd ?? text.length;
    setPickerOpen(false);
    element?.focus();
    placeCaret(start + emoji.length);
    chat.setDraft(text.slice(0, start) + emoji + text.slice(end));
  };
  // Timed out: until when and why, in the person's own words for it (people/timeout-words.ts).
  const timeout = ownStanding.timeoutIn(communityId);
  const note = timeout
    ? `${sentence(timeoutInWords("You are", timeout.until, timeout.reason))} You can read, but not send.`
    : (refusal ?? hint);
  const isShut = refusal !== null || timeout !== null;
  const drafts = chat.attachments;
  const trayNotice = drafts.notice.value;
  const replyingTo = chat.replyingTo.value;
  const target = replyingTo === null ? null : findBySeq(chat.entries.value, replyingTo);
  const isListOpen = completion.trigger !== null && completion.suggestions.length > 0;
  const activeOption = isListOpen ? completion.suggestions[completion.activeIndex] : undefined;

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      {note && (
        <p id="composer-note" class={isShut ? "composer-note is-refusal" : "composer-note"}>
          {note}
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
      {tooLong !== null && !isShut && (
        <TooLongOffer
          characters={tooLong}
          attachRefusal={attachRefusal}
          onSendAsFile={sendAsFile}
          onKeepEditing={() => {
            setTooLong(null);
            field.current?.focus();
          }}
        />
      )}
      <div class="composer-row">
        {!isShut && <SuggestionList id={SUGGESTION_LIST_ID} completion={completion} />}
        {!isShut && <AttachButton refusal={attachRefusal} onFiles={onFiles} />}
        <label for="composer-input" class="visually-hidden">
          Message {title}
        </label>
        <textarea
          id="composer-input"
          ref={field}
          rows={2}
          placeholder={isShut ? "You cannot send messages here" : `Message ${title}`}
          value={text}
          disabled={isShut}
          aria-describedby={describedBy(note && "composer-note", replyingTo !== null && "composer-reply")}
          aria-autocomplete="list"
          aria-controls={isListOpen ? SUGGESTION_LIST_ID : undefined}
          aria-activedescendant={activeOption ? optionId(SUGGESTION_LIST_ID, activeOption) : undefined}
          onInput={(event) => {
            chat.setDraft(event.currentTarget.value);
            setTooLong(null); // changed: the offer was about the text as it was
            if (!completion.replaceTypedShortcode()) completion.caretMoved();
          }}
          onKeyDown={onKeyDown}
          onKeyUp={(event) => isCaretKey(event.key, isListOpen) && completion.caretMoved()}
          onClick={() => completion.caretMoved()}
          onPaste={onPaste}
        />
        {!isShut && (
          <div class="composer-emoji">
            <button
              type="button"
              class="composer-emoji-button"
              aria-label="Insert an emoji"
              title="Insert an emoji"
              aria-haspopup="dialog"
              aria-expanded={isPickerOpen}
              onClick={() => setPickerOpen(!isPickerOpen)}
            >
              <span aria-hidden="true">🙂</span>
            </button>
            {isPickerOpen && (
              <div class="composer-emoji-popover">
                <EmojiPicker label="Insert an emoji" onPick={insertEmoji} onClose={() => setPickerOpen(false)} />
              </div>
            )}
          </div>
        )}
        <button type="submit" class="primary" disabled={isShut}>
          Send
        </button>
      </div>
      <p class="visually-hidden" role="status">
        {isListOpen ? `${completion.suggestions.length} suggestions: up and down to choose, Enter to insert.` : ""}
      </p>
    </form>
  );
}

/** Keys that move the caret (↑ and ↓ choose in the list while it is open). */
function isCaretKey(key: string, isListOpen: boolean): boolean {
  if (key === "ArrowUp" || key === "ArrowDown") return !isListOpen;
  return key === "ArrowLeft" || key === "ArrowRight" || key === "Home" || key === "End";
}

/** Whether the text, as a message, would be over the size limit (content.ts does the counting). */
function isTooLong(text: string): boolean {
  try {
    textContent(text.trim());
    return false;
  } catch (caught) {
    if (caught instanceof ContentError) return true;
    throw caught;
  }
}
