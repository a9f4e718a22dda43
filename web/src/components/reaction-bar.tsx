/** A message's reactions as buttons with their counts; pressing one adds or takes back the reader's own. */
import type { ReactionView } from "../../../protocol/index.ts";
import type { Chat } from "../models/chat.ts";
import { reactionName } from "../models/message-actions.ts";

interface ReactionBarProps {
  chat: Chat;
  seq: number;
  reactions: ReactionView[];
  ownUserId: string;
}

export function ReactionBar({ chat, seq, reactions, ownUserId }: ReactionBarProps) {
  const canReact = chat.canReact.value;
  return (
    <div class="reactions" role="group" aria-label="Reactions">
      {reactions.map((reaction) => {
        const isMine = reaction.userIds.includes(ownUserId);
        return (
          <button
            key={reaction.emoji}
            type="button"
            class={isMine ? "reaction is-mine" : "reaction"}
            aria-pressed={isMine}
            aria-label={`${reactionName(reaction.emoji)}: ${reaction.count}`}
            // Taking one's own reaction back needs no permission; adding one does.
            disabled={!isMine && !canReact}
            onClick={() => chat.actions.toggleReaction(seq, reaction.emoji)}
          >
            <span aria-hidden="true">{reaction.emoji}</span> {reaction.count}
          </button>
        );
      })}
    </div>
  );
}
