/**
 * A message's actions as a compact row of icon buttons floating over its top right
 * corner, shown on hover and whenever focus is inside the message (so Tab reaches
 * them); each has its name for screen readers and as a tooltip. React opens the
 * reaction picker; "More" holds what is rarely needed.
 */
import { useRef } from "preact/hooks";
import type { Chat } from "../models/chat.ts";
import type { TimelineEntry } from "../models/timeline.ts";
import type { MessagePlace } from "./message-item.tsx";
import { Icon } from "./timeline/icons.tsx";
import { messageActionsFor, moreActionsFor } from "./timeline/message-action-list.ts";
import { MoreMenu } from "./timeline/more-menu.tsx";
import { ReactionPopover } from "./timeline/reaction-popover.tsx";

export function MessageToolbar({ chat, entry, place }: { chat: Chat; entry: TimelineEntry; place: MessagePlace }) {
  const seq = entry.seq!;
  const { actions } = chat;
  const isPicking = actions.pickingReaction.value === seq;
  const isMoreOpen = actions.moreMenu.value === seq;
  const reactButton = useRef<HTMLButtonElement>(null);
  const moreButton = useRef<HTMLButtonElement>(null);
  const more = moreActionsFor(chat, entry);

  return (
    <div
      class={isPicking || isMoreOpen ? "message-actions is-open" : "message-actions"}
      role="group"
      aria-label={`Actions for the message from ${entry.senderName}`}
    >
      {messageActionsFor(chat, entry, place).map((action) => (
        <button
          key={action.label}
          type="button"
          class={action.isDanger ? "icon-button is-danger" : "icon-button"}
          aria-label={action.label}
          data-tooltip={action.label}
          aria-expanded={action.isReact ? isPicking : undefined}
          ref={action.isReact ? reactButton : undefined}
          onClick={action.run}
        >
          <Icon name={action.icon} />
        </button>
      ))}
      {more.length > 0 && (
        <button
          type="button"
          class="icon-button"
          aria-label="More actions"
          data-tooltip="More"
          aria-haspopup="menu"
          aria-expanded={isMoreOpen}
          ref={moreButton}
          onClick={() => actions.toggleMoreMenu(seq)}
        >
          <Icon name="more" />
        </button>
      )}
      {isPicking && (
        <ReactionPopover chat={chat} seq={seq} anchor={reactButton} onClose={() => actions.closeReactionPicker()} />
      )}
      {isMoreOpen && <MoreMenu items={more} anchor={moreButton} onClose={() => actions.closeMoreMenu()} />}
    </div>
  );
}
