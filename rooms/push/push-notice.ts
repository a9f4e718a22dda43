/**
 * What the notification decision (rooms/notify/) hands to Web Push delivery
 * (rooms/push/): ids only, never content or names. (Contract for issue #23; the
 * delivery side fills `queuePushes`.)
 */
import type { PushTarget } from "./push-request.ts";

export interface PushNotice {
  /** Who to tell: every live push subscription of theirs gets it. */
  userId: string;
  channelId: string;
  /** Null for a DM or group DM. */
  communityId: string | null;
  /** The message's sequence number in its channel. */
  seq: number;
  /** Why: a DM or group DM, a mention of them (or a role of theirs, @here, @everyone), or a channel set to all messages. */
  reason: "dm" | "mention" | "message";
}

/**
 * A notice as the decision hands it over: with where its person's pushes go, read in
 * the decision's own statement, and when. Delivery sends a fresh notice's first try
 * to these instead of asking the database again; only the notice is stored.
 */
export interface DecidedNotice extends PushNotice {
  targets: PushTarget[];
  targetsReadAt: number;
}
