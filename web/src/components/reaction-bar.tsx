/**
 * A message's reactions as buttons with their counts; pressing one adds or takes
 * back the reader's own. Hovering or focusing one shows who reacted ("alice, bob
 * and carol reacted with 🎉"), which screen readers hear as its description.
 */
import type { ComponentChildren } from "preact";
import type { ReactionView } from "../../../protocol/index.ts";
import type { Chat } from "../models/chat.ts";
import { reactionName } from "../models/message-actions.ts";
import { PersonName } from "./people/person-name.tsx";

/** Names listed before "and N others". */
const NAMES_SHOWN = 3;

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
        const tooltipId = `reactors-${seq}-${[...reaction.emoji].map((point) => point.codePointAt(0)).join("-")}`;
        return (
          <span key={reaction.emoji} class="reaction-holder">
            <button
              type="button"
              class={isMine ? "reaction is-mine" : "reaction"}
              aria-pressed={isMine}
              aria-label={`${reactionName(reaction.emoji)}: ${reaction.count}`}
              aria-describedby={tooltipId}
              // Taking one's own reaction back needs no permission; adding one does.
              disabled={!isMine && !canReact}
              onClick={() => chat.actions.toggleReaction(seq, reaction.emoji)}
            >
              <span aria-hidden="true">{reaction.emoji}</span> {reaction.count}
            </button>
            <span class="reactors" role="tooltip" id={tooltipId}>
              <WhoReacted chat={chat} reaction={reaction} ownUserId={ownUserId} />
            </span>
          </span>
        );
      })}
    </div>
  );
}

function WhoReacted({ chat, reaction, ownUserId }: { chat: Chat; reaction: ReactionView; ownUserId: string }) {
  const people = chat.people();
  // The reader first, as "You"; then the others in the order they reacted.
  const ordered = [...reaction.userIds].sort((a, b) => Number(b === ownUserId) - Number(a === ownUserId));
  const names: ComponentChildren[] = ordered
    .slice(0, NAMES_SHOWN)
    .map((userId) =>
      userId === ownUserId ? (
        "You"
      ) : (
        <PersonName
          key={userId}
          userId={userId}
          fallback={people.find((person) => person.userId === userId)?.username ?? "someone"}
        />
      ),
    );
  const others = reaction.count - names.length;
  if (others > 0) names.push(others === 1 ? "1 other" : `${others} others`);
  return (
    <>
      {listInWords(names)} reacted with {reaction.emoji}
    </>
  );
}

/** "a", "a and b", "a, b and c". */
function listInWords(parts: ComponentChildren[]): ComponentChildren[] {
  return parts.flatMap((part, index) => {
    if (index === 0) return [part];
    return [index === parts.length - 1 ? " and " : ", ", part];
  });
}
