/**
 * What the notification decision (rooms/notify/) hands to Web Push delivery
 * (rooms/push/): ids only, never content or names. (Contract for issue #23; the
 * delivery side fills `queuePushes`.)
 */
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
