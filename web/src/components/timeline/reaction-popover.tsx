/**
 * Adding a reaction: the six quick ones in a row (as Slack and Element offer them),
 * then the whole emoji picker with search and the reader's recently used emoji
 * first. Picking one reacts and closes it; Esc or a click outside closes it too.
 */
import { useEffect, useRef, type MutableRef } from "preact/hooks";
import type { Chat } from "../../models/chat.ts";
import { REACTION_CHOICES } from "../../models/message-actions.ts";
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
  const isPressInside = usePressInside(popover);

  // The picker may take focus for its search; otherwise the first quick reaction has it.
  useEffect(() => {
    const element = popover.current;
    if (element && !element.contains(document.activeElement)) element.querySelector("button")?.focus();
  }, []);

  return (
    <div class="reaction-popover" popover="manual" role="dialog" aria-label="Add a reaction" ref={popover}>
      <div class="quick-reactions" role="group" aria-label="Quick reactions">
        {REACTION_CHOICES.map((choice) => (
          <button
            key={choice.emoji}
            type="button"
            class="reaction-choice"
            aria-label={`React with ${choice.name}`}
            data-tooltip={choice.name}
            onClick={() => react(choice.emoji)}
          >
            {choice.emoji}
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
