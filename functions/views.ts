/** Turning database records into the protocol's wire shapes. */
import type { ChannelRecord, UserRecord } from "../db/index.ts";
import type { ChannelView, UserView } from "../protocol/index.ts";

export { messageView } from "../rooms/index.ts";

export const userView = (user: UserRecord): UserView => ({
  id: user.id,
  username: user.username,
  isAdmin: user.isAdmin,
});

export const channelView = (channel: ChannelRecord): ChannelView => ({
  id: channel.id,
  name: channel.name,
  createdAt: new Date(channel.createdAt).toISOString(),
});
