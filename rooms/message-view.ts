/** A stored message in its wire shape, shared by the room and the history routes. */
import type { MessageRecord } from "../db/index.ts";
import type { MessageView } from "../protocol/index.ts";

const iso = (date: Date | null) => (date ? new Date(date).toISOString() : null);

export const messageView = (message: MessageRecord): MessageView => ({
  id: message.id,
  channelId: message.channelId,
  seq: message.seq,
  event: message.event,
  senderId: message.senderId,
  senderName: message.senderName,
  senderDeviceId: message.senderSessionId,
  clientId: message.clientId,
  payload: message.payload,
  sentAt: iso(message.sentAt)!,
  replyToSeq: message.replyToSeq,
  threadRootSeq: message.threadRootSeq,
  mentions: {
    userIds: message.mentionedUserIds,
    roleIds: message.mentionedRoleIds,
    everyone: message.mentionsEveryone,
    here: message.mentionsHere,
  },
  editedAt: iso(message.editedAt),
  deletedAt: iso(message.deletedAt),
  deletedBy: message.deletedBy,
  pinnedAt: iso(message.pinnedAt),
  pinnedBy: message.pinnedBy,
  threadReplyCount: message.threadReplyCount,
  reactions: message.reactions.map((reaction) => ({
    emoji: reaction.emoji,
    count: reaction.userIds.length,
    userIds: reaction.userIds,
  })),
});
