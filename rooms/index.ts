/** rooms/'s public face: the room classes and the ways in from the HTTP side. */
import { announceDeviceChange } from "./device-changes.ts";
import { stampIdentity, type Member } from "./identity.ts";

export { stampIdentity } from "./identity.ts";
import type { SocketSelector } from "./user-sockets.ts";
import { errorText, log } from "../db/index.ts";

export { announceDeviceChange, announceWelcomes } from "./device-changes.ts";
export { ChannelRoom, CLOSE_ACCESS_REMOVED, CLOSE_SESSION_ENDED } from "./channel-room.ts";
export { permissionsIn, toMemberContext } from "./channel-access.ts";
export { visibleCommunityChannels } from "./visible-channels.ts";
export { messageView } from "./message-view.ts";
export { CommunityHub } from "./community-hub.ts";
export { UserSockets } from "./user-sockets.ts";
// Web Push delivery (issue #23): the queue object, the way in, and the VAPID key for /api/push.
export { PushQueue } from "./push/push-queue.ts";
export { queuePushes } from "./push/queue-pushes.ts";
export { vapidKeys } from "./push/vapid.ts";
export type { Member } from "./identity.ts";

/** Forwards a verified WebSocket upgrade to the channel's room. */
export function forwardToRoom(env: Env, channelId: string, request: Request, member: Member): Promise<Response> {
  return env.CHANNEL_ROOM.getByName(channelId).fetch(stampIdentity(request, member));
}

/**
 * Closes, at once, the open sockets of revoked sessions or of a suspended user.
 * The revocation is already committed, so a failure here is logged, not thrown: the
 * room also re-checks the session when a socket joins, and each request checks it.
 */
export async function disconnectSockets(env: Env, selector: SocketSelector): Promise<number> {
  try {
    return await env.USER_SOCKETS.getByName(selector.userId).disconnect(selector);
  } catch (error) {
    log.error("sockets_not_closed", { userId: selector.userId, error: errorText(error) });
    return 0;
  } finally {
    // Their devices leave the channels' groups: members' open clients commit the removals.
    await announceDeviceChange(env, selector.userId);
  }
}
