/**
 * On a touch screen a long press on a message opens its actions as a sheet from
 * the bottom of the screen, as Discord's phone app does: quick reactions on top,
 * then the same actions as the hover toolbar, with words. A modal dialog: a tap
 * outside, Esc or Cancel closes it.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Chat } from "../../models/chat.ts";
import { reactionName } from "../../models/message-actions.ts";
import { noteEmojiUsed } from "../../models/recent-emoji.ts";
import type { TimelineEntry } from "../../models/timeline.ts";
import { EmojiPicker } from "../emoji/emoji-picker.tsx";
import { excerpt } from "../reply-quote.tsx";
import { Icon } from "./icons.tsx";
import { messageActionsFor, moreActionsFor } from "./message-action-list.ts";
import { quickReactions } from "./reaction-popover.tsx";

export function ActionSheet({ chat, entry }: { chat: Chat; entry: TimelineEntry }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [isPicking, setPicking] = useState(false);
  const isBackdropPress = useRef(false);
  const seq = entry.seq!;
  const close = () => chat.actions.closeSheet();
  const react = (emoji: string) => {
    close();
    chat.actions.toggleReaction(seq, emoji);
  };

  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);

  const actions = messageActionsFor(chat, entry, "main");
  const more = moreActionsFor(chat, entry);

  return (
    <dialog
      ref={dialog}
      class="action-sheet"
      aria-label={`Actions for the message from ${entry.senderName}`}
      onCancel={(event) => {
        event.preventDefault();
        close();
      }}
      // A tap on the backdrop lands on the dialog itself. The finger that opened the sheet
      // lifts over it too, and its click must not close it: only a press begun there counts.
      onPointerDown={(event) => (isBackdropPress.current = event.target === dialog.current)}
      onClick={(event) => event.target === dialog.current && isBackdropPress.current && close()}
    >
      <div class="action-sheet-body">
        <p class="action-sheet-excerpt">{excerpt(entry.text ?? "")}</p>
        {chat.canReact.value && (
          <div class="quick-reactions" role="group" aria-label="Quick reactions">
            {quickReactions().map((emoji) => (
              <button
                key={emoji}
                type="button"
                class="reaction-choice"
                aria-label={`React with ${reactionName(emoji)}`}
                onClick={() => {
                  noteEmojiUsed(emoji);
                  react(emoji);
                }}
              >
                {emoji}
              </button>
            ))}
          </div>
        )}
        {isPicking ? (
          <EmojiPicker label="All emoji" onPick={react} onClose={() => setPicking(false)} />
        ) : (
          <ul class="action-sheet-list">
            {actions.map((action) => (
              <li key={action.label}>
                <button
                  type="button"
                  class={action.isDanger ? "is-danger" : undefined}
                  onClick={() => {
                    if (action.isReact) return setPicking(true);
                    close();
                    action.run();
                  }}
                >
                  <Icon name={action.icon} />
                  {action.isReact ? "Add a reaction" : action.label}
                </button>
              </li>
            ))}
            {more.map((item) => (
              <li key={item.label}>
                <button
                  type="button"
                  onClick={() => {
                    close();
                    item.run();
                  }}
                >
                  <Icon name="more" />
                  {item.label}
                </button>
              </li>
            ))}
          </ul>
        )}
        <button type="button" class="action-sheet-cancel" onClick={close}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
