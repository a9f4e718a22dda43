/**
 * Whether a person is paying attention right now, from their account sockets: the
 * page says `{type: "active"}` while it is visible and used, and for a while after
 * that the server leaves notifying to the page (no Web Push to a person at a screen).
 * Kept in each socket's attachment, which outlives the object's hibernation.
 */
import type { PresenceStatus } from "../../protocol/index.ts";
import type { Member } from "../identity.ts";

/** The page sends `active` at most every 30 s while used; two minutes covers a short pause to read. */
export const ACTIVE_WINDOW_MS = 2 * 60_000;
/** Each note rewrites the attachment: once per this long is precise enough. */
const ACTIVE_NOTE_INTERVAL_MS = 10_000;

type ActiveMember = Member & { activeAt?: number };

export interface Attention {
  /** Holds an open account socket. */
  isOnline: boolean;
  status: PresenceStatus;
  /** Used a page of the app within ACTIVE_WINDOW_MS. */
  isActive: boolean;
}

/** The page behind `socket` is in use now. */
export function noteActive(socket: WebSocket, now: number): void {
  const member = socket.deserializeAttachment() as ActiveMember | null;
  if (!member || (member.activeAt !== undefined && now - member.activeAt < ACTIVE_NOTE_INTERVAL_MS)) return;
  socket.serializeAttachment({ ...member, activeAt: now } satisfies ActiveMember);
}

export function attentionOf(openSockets: WebSocket[], status: PresenceStatus, now: number): Attention {
  const isActive = openSockets.some((socket) => {
    const activeAt = (socket.deserializeAttachment() as ActiveMember | null)?.activeAt;
    return activeAt !== undefined && now - activeAt < ACTIVE_WINDOW_MS;
  });
  return { isOnline: openSockets.length > 0, status, isActive };
}
