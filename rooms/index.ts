/** rooms/'s public face: the room class and the one way to reach a room. */
import { stampIdentity, type Member } from "./identity.ts";

export { ChannelRoom } from "./channel-room.ts";

/** Forwards a verified WebSocket upgrade to the channel's room. */
export function forwardToRoom(env: Env, channelId: string, request: Request, member: Member): Promise<Response> {
  return env.CHANNEL_ROOM.getByName(channelId).fetch(stampIdentity(request, member));
}
export { messageView } from "./message-view.ts";
