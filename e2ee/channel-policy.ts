/**
 * What a device decides for a channel by its own rules, whatever the server answers:
 * whether it must encrypt (encryption is sticky), whose devices a conversation may
 * hold (pinned at first sight), and who may read which past epochs (history keys
 * are shared by the channel's own membership history, never because the server
 * said so).
 */
import type { ChannelView } from "../protocol/channels.ts";

/** Whether newcomers get the keys of epochs before they joined. */
export type HistoryPolicy = "from_start" | "from_join";

/** The facts a device keeps about a channel, from the first time it saw it. */
export interface ChannelFacts {
  isConversation: boolean;
  history: HistoryPolicy;
  /**
   * DMs and group DMs: the people in it, pinned when this device first saw it. A group
   * DM's pin grows by those a member's own device adds (`welcomeToConversation` on the
   * adder's device; the others take that member's signed commit).
   */
  participants: string[] | null;
  /** A group DM (people can be added to it); absent in facts kept before groups could grow. */
  isGroup?: boolean;
}

export function factsOf(view: ChannelView): ChannelFacts {
  const isConversation = view.kind === "dm" || view.kind === "group_dm";
  return {
    isConversation,
    // A conversation's newcomers never read what was said before them; a community channel says.
    history: isConversation ? "from_join" : view.newcomerHistory,
    participants: isConversation ? (view.participants ?? []).map((person) => person.userId) : null,
    isGroup: view.kind === "group_dm",
  };
}

/**
 * Whether messages in the channel must be end-to-end encrypted: always in a DM or
 * group DM, and in any channel that has (or had) a group or whose group this device
 * holds keys of, whatever the server says now. Only a community channel that never
 * had a group may carry plain messages (one more people may read than encryption
 * supports), and only once the person confirmed it.
 */
export function mustEncrypt(input: {
  isConversation: boolean;
  holdsKeys: boolean;
  groupExists: boolean;
  serverSaysEncrypted: boolean;
}): boolean {
  return input.isConversation || input.holdsKeys || input.groupExists || input.serverSaysEncrypted;
}
