/**
 * A community's, channel's or conversation's notification choices, as menu items:
 * the level (all messages, mentions only, nothing; on or off for a DM) and muting for
 * a while. Mounted in the community header menu, a channel's menu and a DM's menu.
 * (Stub: issue #23 fills it.)
 */
export interface NotificationTarget {
  kind: "community" | "channel";
  id: string;
  name: string;
  /** A DM or group DM: on or off instead of levels. */
  isDirect?: boolean;
}

export function NotificationMenuItems(_props: { target: NotificationTarget; close(): void }) {
  return null;
}
