/**
 * Whether a message notifies this person, and why: the same rules the server applies
 * before a push (rooms/notify/), applied in the page to what the account socket says.
 * A mute silences everything; a conversation notifies unless it or DMs as a whole are
 * turned off; a community channel by its level (all messages, or only mentions);
 * Do Not Disturb lets through only what the person allowed.
 */
import type { PresenceStatus } from "../../../../protocol/index.ts";
import type { DndAllows, NotificationLevel } from "../../../../protocol/notifications.ts";

export type NotificationReason = "dm" | "mention" | "message";

export interface NotificationFacts {
  isDirect: boolean;
  isMention: boolean;
  isMuted: boolean;
  level: NotificationLevel;
  /** The account-wide switch for DMs and group DMs. */
  directMessages: boolean;
  status: PresenceStatus;
  dndAllows: DndAllows;
}

export function notificationReason(facts: NotificationFacts): NotificationReason | null {
  if (facts.isMuted || facts.level === "nothing") return null;
  let reason: NotificationReason | null;
  if (facts.isDirect) reason = facts.directMessages ? "dm" : null;
  else if (facts.isMention) reason = "mention";
  else reason = facts.level === "all" ? "message" : null;
  if (reason === null || facts.status !== "dnd") return reason;
  if (facts.dndAllows === "dms") return reason === "dm" ? reason : null;
  if (facts.dndAllows === "dms_and_mentions") return reason === "message" ? null : reason;
  return null;
}
