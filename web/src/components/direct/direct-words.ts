/** Why a direct conversation cannot be written in, in words (the composer shows it instead of a box). */
import type { ChannelView } from "../../../../protocol/index.ts";

/**
 * A 1:1 DM silenced by a block: the blocker is told how to undo it, the blocked person
 * only that they cannot reply (whose block it was is not theirs to know). Null for
 * anything else: the channel's own reasons apply.
 */
export function directRefusalInWords(
  channel: ChannelView | null,
  ownUserId: string,
  blockedIds: ReadonlySet<string>,
): string | null {
  if (!channel || channel.kind !== "dm") return null;
  const other = channel.participants?.find((person) => person.userId !== ownUserId);
  if (other && blockedIds.has(other.userId)) return `You blocked ${other.username}. Unblock to send messages.`;
  return "You cannot reply to this conversation.";
}
