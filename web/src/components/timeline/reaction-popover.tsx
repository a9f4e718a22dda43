/**
 * Adding a reaction: six quick ones in a row (the reader's three most recent, then
 * the usual ones, as Slack and Element offer them), then the whole emoji picker
 * with search and the recently used emoji first. Picking one reacts and closes it;
 * Esc or a click outside closes it too.
 */
import { useEffect, useRef, type MutableRef } from "preact/hooks";
import type { Chat } from "../../models/chat.ts";
import { REACTION_CHOICES, reactionName } from "../../models/message-actions.ts";
import { noteEmojiUsed, recentEmoji } from "../../models/recent-emoji.ts";
import { EmojiPicker } from "../emoji/emoji-picker.tsx";
import { usePopover } from "./use-popover.ts";

interface ReactionPopoverProps {
  chat: Chat;
  seq: number;
  anchor: MutableRef<HTMLElement | null>;
  onClose(): void;
}

export function ReactionPopover({ chat, seq, anchor, onClose }: ReactionPopoverProps) {
  const popover = usePopover<HTMLDivElement>(anchor, onClose);
  const react = (emoji: string) => chat.actions.toggleReaction(seq, emoji);
  const reactQuickly = (emoji: string) => {
    noteEmojiUsed(emoji);
    react(emoji);
  };
  const isPressInside = usePressInside(popover);

  // The picker may take focus for its search; otherwise the first quick reaction has it.
  useEffect(() => {
    const element = popover.current;
    if (element && !element.contains(document.activeElement)) element.querySelector("button")?.focus();
  }, []);

  return (
    <div class="reaction-popover" popover="manual" role="dialog" aria-label="Add a reaction" ref={popover}>
      <div class="quick-reactions" role="group" aria-label="Quick reactions">
        {quickReactions().map((emoji) => (
          <button
            key={emoji}
            type="button"
            class="reaction-choice"
            aria-label={`React with ${reactionName(emoji)}`}
            data-tooltip={reactionName(emoji)}
            onClick={() => reactQuickly(emoji)}
          >
            {emoji}
          </button>
        ))}
      </div>
      {/* The picker closes on a press outside itself: a quick reaction is inside this popover. */}
      <EmojiPicker label="All emoji" onPick={react} onClose={() => isPressInside() || onClose()} />
    </div>
  );
}

/**
 * Whether the press being handled began inside `element`. Noted on the window in the
 * capture phase, before any listener on the document, and forgotten once it is handled.
 */
function usePressInside(element: MutableRef<HTMLElement | null>): () => boolean {
  const isInside = useRef(false);
  useEffect(() => {
    const note = (event: PointerEvent) => {
      isInside.current = !!element.current?.contains(event.target as Node);
      setTimeout(() => (isInside.current = false));
    };
    addEventListener("pointerdown", note, true);
    return () => removeEventListener("pointerdown", note, true);
  }, []);
  return () => isInside.current;
}

/** How many of the reader's recent emoji lead the quick reactions. */
const RECENT_QUICK_REACTIONS = 3;

/** Six emoji: the reader's most recent first, then the usual ones. */
export function quickReactions(): string[] {
  const emoji = [...recentEmoji.value.slice(0, RECENT_QUICK_REACTIONS), ...REACTION_CHOICES.map((c) => c.emoji)];
  return [...new Set(emoji)].slice(0, REACTION_CHOICES.length);
}
