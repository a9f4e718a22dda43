/** Editing one's own message in place: Enter saves, Shift+Enter starts a new line, Escape cancels. */
import type { Chat } from "../models/chat.ts";
import type { MessagePlace } from "./message-item.tsx";
import { useFocusOnMount } from "./use-focus-on-mount.ts";

export function MessageEditor({ chat, place }: { chat: Chat; place: MessagePlace }) {
  const { actions } = chat;
  const editing = actions.editing.value;
  const field = useFocusOnMount<HTMLTextAreaElement>();
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
