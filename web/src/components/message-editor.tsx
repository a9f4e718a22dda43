/**
 * Editing one's own message in place: Enter saves, Shift+Enter starts a new line,
 * Escape cancels; `:shortcode:` and `@` complete as in the composer. It opens scrolled into view with focus in its field (↑ in an empty
 * composer opens it on one's last message); when it closes with focus inside it,
 * focus goes back to the composer, as in Discord.
 */
import { useEffect, useRef } from "preact/hooks";
import type { Chat } from "../models/chat.ts";
import type { MessagePlace } from "./message-item.tsx";
import { optionId, SuggestionList } from "./composer/suggestion-list.tsx";
import { useCaretAfterRender } from "./composer/use-caret.ts";
import { useCompletion } from "./composer/use-completion.ts";

/** The main composer's field (composer.tsx). */
const COMPOSER_FIELD_ID = "composer-input";

export function MessageEditor({ chat, place }: { chat: Chat; place: MessagePlace }) {
  const { actions } = chat;
  const editing = actions.editing.value;
  const field = useEditorFocus(place === "main");
  const completion = useCompletion({
    field,
    text: editing?.text ?? "",
    setText: (text) => actions.setEditText(text),
    placeCaret: useCaretAfterRender(field),
    people: chat.people,
    canMentionEveryone: chat.permissions.value?.includes("MENTION_EVERYONE") ?? false,
    loadChannels: null, // # completes in the composer, where the channels are loaded
  });
  if (!editing) return null;
  const id = `edit-${place}-${editing.seq}`;
  const listId = `${id}-suggestions`;
  const isListOpen = completion.trigger !== null && completion.suggestions.length > 0;
  const activeOption = isListOpen ? completion.suggestions[completion.activeIndex] : undefined;

  const onKeyDown = (event: KeyboardEvent) => {
    if (completion.handleKey(event)) return;
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
        aria-autocomplete="list"
        aria-controls={isListOpen ? listId : undefined}
        aria-activedescendant={activeOption ? optionId(listId, activeOption) : undefined}
        onInput={(event) => {
          actions.setEditText(event.currentTarget.value);
          if (!completion.replaceTypedShortcode()) completion.caretMoved();
        }}
        onKeyDown={onKeyDown}
        onClick={() => completion.caretMoved()}
      />
      <SuggestionList id={listId} completion={completion} />
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
