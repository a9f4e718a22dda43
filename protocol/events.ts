/**
 * The account socket: one per browser session, for what concerns the person rather
 * than one channel: presence of the people they share a community with, activity in
 * every channel and DM they may view (for unread badges), read positions from their
 * other devices, and lists that changed (a new DM, a community joined or left).
 */
import { z } from "zod";
import type { CallSummary } from "./calls.ts";

/** What a person chooses; `invisible` shows them as offline to everyone else. */
export const PRESENCE_STATUSES = ["online", "idle", "dnd", "invisible"] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];
/** What others see. */
export type ShownStatus = "online" | "idle" | "dnd" | "offline";

export const shownStatus = (status: PresenceStatus | null): ShownStatus =>
  status === null || status === "invisible" ? "offline" : status;

export const eventsClientFrameSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("status"), status: z.enum(PRESENCE_STATUSES) }),
  /**
   * The page is visible and the person is using it: for a while (rooms/notify/attention.ts)
   * the server sends them no Web Push, since the page shows its own notifications.
   */
  z.strictObject({ type: z.literal("active") }),
]);
export type EventsClientFrame = z.infer<typeof eventsClientFrameSchema>;

/** New messages in one channel or DM since its last activity frame. */
export interface ChannelActivity {
  type: "activity";
  channelId: string;
  communityId: string | null;
  lastSeq: number;
  /** Who sent the messages since the last activity frame (one's own do not count as unread). */
  senderIds: string[];
  /** Everyone mentioned in the messages since the last activity frame for this channel. */
  mentions: { userIds: string[]; roleIds: string[]; everyone: boolean; here: boolean };
}

export type EventsServerFrame =
  /** On connecting: who the socket belongs to and the status they chose. */
  | { type: "hello"; userId: string; status: PresenceStatus }
  /** Statuses of people sharing a community with the person: a snapshot on connecting, then each change. */
  | { type: "presence"; users: { userId: string; status: ShownStatus }[] }
  /**
   * New messages in a channel or DM the person may view (coalesced per channel: the first
   * 250 ms after a quiet spell, then at most one a second; a community's hub then gathers its
   * channels' for 200 ms, or up to a second after its last relay, so up to about two seconds).
   */
  | ChannelActivity
  /**
   * Activity in several of a community's channels at once, each item as its own `activity`
   * frame would be: a community's hub gathers its channels' activity for a moment and sends
   * each online member one frame, not one per busy channel.
   */
  | { type: "activities"; activities: ChannelActivity[] }
  /** Another device of the person read a channel up to `seq`. */
  | { type: "read"; channelId: string; seq: number }
  /**
   * A list the client shows changed: fetch it again. `e2ee`: someone's devices changed
   * (added or signed out) or a Welcome waits for this person: an open channel's
   * encryption looks at its group again (pending adds and removes, Welcomes).
   * `roles`: a community's roles (names, colours, order, permissions) changed.
   * `blocks`: the person blocked or unblocked someone (on another device, say).
   * `notifications`: the person's notification settings changed (on another device, say).
   */
  | {
      type: "changed";
      scope: "communities" | "dms" | "channels" | "members" | "e2ee" | "roles" | "blocks" | "notifications";
      communityId?: string;
    }
  /** A call started, changed who is in it (or who is rung), or ended (`call: null`), in a channel the person may view. */
  | { type: "call"; channelId: string; call: CallSummary | null }
  | { type: "error"; code: "invalid_frame" | "malformed_frame" | "rate_limited"; message: string };
