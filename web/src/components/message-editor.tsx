/**
 * Editing one's own message in place: Enter saves, Shift+Enter starts a new line,
 * Escape cancels. It opens scrolled into view with focus in its field (↑ in an empty
 * composer opens it on one's last message); when it closes with focus inside it,
 * focus goes back to the composer, as in Discord.
 */
import { useEffect, useRef } from "preact/hooks";
import type { Chat } from "../models/chat.ts";
import type { MessagePlace } from "./message-item.tsx";

/** The main composer's field (composer.tsx). */
const COMPOSER_FIELD_ID = "composer-input";

export function MessageEditor({ chat, place }: { chat: Chat; place: MessagePlace }) {
  const { actions } = chat;
  const editing = actions.editing.value;
  const field = useEditorFocus(place === "main");
  if (!editing) return null;
  const id = `edit-${place}-${editing.seq}`;

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      actions.cancelEdit();
    } else if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      actions.saveEdit();
    }
  };

  return (
    <form
      class="message-editor"
      onSubmit={(event) => {
        event.preventDefault();
        actions.saveEdit();
      }}
    >
      <label for={id} class="visually-hidden">
        Edit message
      </label>
      <textarea
        id={id}
        ref={field}
        rows={2}
        value={editing.text}
        aria-describedby={`${id}-hint`}
        onInput={(event) => actions.setEditText(event.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <p id={`${id}-hint`} class="hint">
        Enter saves, Escape cancels.
      </p>
      <div class="button-row">
        <button type="submit" class="small primary">
          Save
        </button>
        <button type="button" class="small" onClick={() => actions.cancelEdit()}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Focus and view on opening, the caret at the end; focus back to the composer on closing (in the main list). */
function useEditorFocus(returnsToComposer: boolean) {
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const element = field.current;
    if (!element) return;
    element.focus();
    element.setSelectionRange(element.value.length, element.value.length);
    element.scrollIntoView({ block: "nearest" });
    return () => {
      if (!returnsToComposer) return;
      const now = document.activeElement;
      if (!now || now === document.body || element.contains(now)) document.getElementById(COMPOSER_FIELD_ID)?.focus();
    };
  }, []);
  return field;
}
