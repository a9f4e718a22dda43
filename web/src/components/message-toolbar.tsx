/**
 * What the reader may do with a message: reply, reply in a thread, react, edit
 * or delete their own (moderators delete anyone's), pin. Plain buttons in a
 * labelled group, reachable with Tab; hidden until hover or focus only visually.
 */
import type { Chat } from "../models/chat.ts";
import { REACTION_CHOICES } from "../models/message-actions.ts";
import type { TimelineEntry } from "../models/timeline.ts";
import type { MessagePlace } from "./message-item.tsx";
import { useFocusOnMount } from "./use-focus-on-mount.ts";

export function MessageToolbar({ chat, entry, place }: { chat: Chat; entry: TimelineEntry; place: MessagePlace }) {
  const seq = entry.seq!;
  const { actions } = chat;
  const isPicking = actions.pickingReaction.value === seq;
  const canSend = chat.canSend.value;
  const canDelete = entry.isOwn || chat.canManageMessages.value;

  return (
    <div
      class={isPicking ? "message-actions is-open" : "message-actions"}
      role="group"
      aria-label={`Actions for the message from ${entry.senderName}`}
    >
      {place === "main" && canSend && (
        <button type="button" class="small" onClick={() => chat.replyTo(seq)}>
          Reply
        </button>
      )}
      {place === "main" && canSend && entry.threadRootSeq === null && (
        <button type="button" class="small" onClick={() => void chat.panels.openThread(seq)}>
          Reply in thread
        </button>
      )}
      {place === "pins" && (
        <button type="button" class="small" onClick={() => void chat.history.jumpTo(seq)}>
          Show in channel
        </button>
      )}
      {chat.canReact.value && place !== "pins" && (
        <button type="button" class="small" aria-expanded={isPicking} onClick={() => actions.toggleReactionPicker(seq)}>
          React
        </button>
      )}
      {entry.isOwn && canSend && place !== "pins" && (
        <button type="button" class="small" onClick={() => actions.startEditing(seq)}>
          Edit
        </button>
      )}
      {canDelete && place !== "pins" && (
        <button type="button" class="small" onClick={() => actions.askToDelete(seq)}>
          Delete
        </button>
      )}
      {chat.canPin.value && (
        <button type="button" class="small" onClick={() => actions.setPinned(seq, entry.pinnedAt === null)}>
          {entry.pinnedAt === null ? "Pin" : "Unpin"}
        </button>
      )}
      {isPicking && <ReactionPicker chat={chat} seq={seq} />}
    </div>
  );
}

function ReactionPicker({ chat, seq }: { chat: Chat; seq: number }) {
  const first = useFocusOnMount<HTMLButtonElement>();
  return (
    <div
      class="reaction-picker"
      role="group"
      aria-label="Choose a reaction"
      onKeyDown={(event) => event.key === "Escape" && chat.actions.toggleReactionPicker(seq)}
    >
      {REACTION_CHOICES.map((choice, index) => (
        <button
          key={choice.emoji}
          type="button"
          class="reaction-choice"
          ref={index === 0 ? first : undefined}
          aria-label={`React with ${choice.name}`}
          title={choice.name}
          onClick={() => chat.actions.toggleReaction(seq, choice.emoji)}
        >
          {choice.emoji}
        </button>
      ))}
    </div>
  );
}
