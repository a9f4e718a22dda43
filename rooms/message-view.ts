/** A stored message in its wire shape, shared by the room and the history route. */
import type { MessageRecord } from "../db/index.ts";
import { bytesToBase64, type MessageView } from "../protocol/index.ts";

export const messageView = (message: MessageRecord): MessageView => ({
  id: message.id,
  channelId: message.channelId,
  seq: message.seq,
  senderId: message.senderId,
  senderName: message.senderName,
  clientId: message.clientId,
  payload: bytesToBase64(message.payload),
  sentAt: new Date(message.sentAt).toISOString(),
});
