/** "Delete this message for everyone?": deletion leaves a tombstone, so it is asked once more. */
import type { Chat } from "../models/chat.ts";
import { useFocusOnMount } from "./use-focus-on-mount.ts";

export function DeleteConfirmation({ chat }: { chat: Chat }) {
  const confirm = useFocusOnMount<HTMLButtonElement>();
  return (
    <div
      class="delete-confirmation"
      role="group"
      aria-label="Confirm deletion"
      onKeyDown={(event) => event.key === "Escape" && chat.actions.cancelDelete()}
    >
      <p>Delete this message for everyone?</p>
      <button type="button" class="small danger" ref={confirm} onClick={() => chat.actions.confirmDelete()}>
        Delete message
      </button>
      <button type="button" class="small" onClick={() => chat.actions.cancelDelete()}>
        Keep it
      </button>
    </div>
  );
}
