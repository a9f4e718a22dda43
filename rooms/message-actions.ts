/**
 * Changing messages from the socket: edit and delete, react and un-react, pin and
 * unpin. Each checks the permission, runs in the room's write queue (so it is
 * ordered with appends), answers the requester with `done` and everyone else with
 * `update`. A moderator's deletion of someone else's message is audited; a
 * sender's deletion keeps the deletion their device sealed, for readers to check.
 * Deleting a message deletes the files it carries; editing one keeps them.
 */
import type { Connection } from "partyserver";
import { log, query, type ChangeResult } from "../db/index.ts";
import {
  base64ByteLength,
  has,
  MESSAGE_PAYLOAD_MAX_BYTES,
  Permission,
  PINS_PER_CHANNEL_MAX,
  MESSAGE_EDITS_MAX,
  REACTIONS_PER_MESSAGE_MAX,
  type ClientFrame,
  type PermissionName,
} from "../protocol/index.ts";
import type { ChatRoom } from "./chat-room.ts";
import { broadcastFrame, send, staleEpochRefusal, storageFailure } from "./room-frames.ts";
import type { Member } from "./identity.ts";
import { messageView } from "./message-view.ts";

type Frame<T extends ClientFrame["type"]> = Extract<ClientFrame, { type: T }>;

const REFUSALS: Record<Exclude<ChangeResult, { ok: true }>["reason"], string> = {
  no_such_message: "there is no such message in this channel (or it was deleted)",
  not_yours: "you can only change your own messages",
  limit_reached: `a message holds at most ${REACTIONS_PER_MESSAGE_MAX} different reactions and ${MESSAGE_EDITS_MAX} edits, a channel ${PINS_PER_CHANNEL_MAX} pins`,
};

/** Sends the refusal and returns false when the member lacks `name` here. */
async function requirePermission(
  room: ChatRoom,
  connection: Connection<Member>,
  clientId: string,
  name: PermissionName,
  toDo: string,
): Promise<boolean> {
  const permissions = await room.access.permissions(connection.state!.userId);
  if (has(permissions, Permission[name])) return true;
  send(room, connection, {
    type: "error",
    code: "missing_permission",
    message: `you need the ${name.toLowerCase()} permission to ${toDo}`,
    clientId,
  });
  return false;
}

/** Runs a change in the write queue and answers: `done` to the requester, `update` to the rest. */
async function apply(
  room: ChatRoom,
  connection: Connection<Member>,
  clientId: string,
  change: () => Promise<ChangeResult>,
): Promise<ChangeResult | null> {
  let result: ChangeResult;
  try {
    result = await room.enqueue(change);
  } catch (error) {
    send(room, connection, storageFailure(error, clientId));
    return null;
  }
  if (!result.ok) {
    send(room, connection, { type: "error", code: result.reason, message: REFUSALS[result.reason], clientId });
    return result;
  }
  const view = messageView(result.message);
  send(room, connection, { type: "done", clientId, message: view });
  if (result.isChanged) broadcastFrame(room, { type: "update", message: view }, connection.id);
  return result;
}

export async function changeMessage(
  room: ChatRoom,
  connection: Connection<Member>,
  frame: Frame<"edit"> | Frame<"delete">,
): Promise<void> {
  const member = connection.state!;
  if (frame.type === "edit") {
    const payloadBytes = base64ByteLength(frame.payload);
    if (payloadBytes > MESSAGE_PAYLOAD_MAX_BYTES) {
      return send(room, connection, {
        type: "error",
        code: "payload_too_large",
        message: `message payloads are limited to ${MESSAGE_PAYLOAD_MAX_BYTES} bytes`,
        clientId: frame.clientId,
      });
    }
    if (!(await requirePermission(room, connection, frame.clientId, "SEND_MESSAGES", "edit messages here"))) return;
    const stale = await staleEpochRefusal(room, frame.payload, frame.clientId);
    if (stale) return send(room, connection, stale);
    await apply(room, connection, frame.clientId, () =>
      query(room.database, "editMessage", {
        channelId: room.name,
        seq: frame.seq,
        senderId: member.userId,
        payload: frame.payload,
        payloadBytes,
        maxVersions: MESSAGE_EDITS_MAX,
      }),
    );
    return;
  }
  const permissions = await room.access.permissions(member.userId);
  const mayDeleteOthers = has(permissions, Permission.MANAGE_MESSAGES);
  const result = await apply(room, connection, frame.clientId, async () => {
    const deleted = await query(room.database, "deleteMessage", {
      channelId: room.name,
      seq: frame.seq,
      actorId: member.userId,
      mayDeleteOthers,
      // Readers tell "deleted by its sender" only by the deletion the sender's device sealed.
      senderProof: frame.proof ?? null,
    });
    // Its files were marked in the same statement; their bytes go now that it committed.
    if (deleted.ok && deleted.discarded?.length) room.removeFiles(deleted.discarded);
    return deleted;
  });
  if (result?.ok && result.message.senderId !== member.userId) await auditDeletion(room, member, result);
}

async function auditDeletion(room: ChatRoom, member: Member, result: Extract<ChangeResult, { ok: true }>) {
  const context = await room.access.context(member.userId);
  const communityId = context?.channel.communityId;
  if (!communityId) return;
  await query(room.database, "recordCommunityAudit", {
    communityId,
    actorId: member.userId,
    action: "message.deleted",
    targetUserId: result.message.senderId,
    reason: null,
    details: { channelId: room.name, seq: result.message.seq },
  }).catch((error: Error) => log.error("deletion_not_audited", { channelId: room.name, error: error.message }));
}

export async function changeReaction(
  room: ChatRoom,
  connection: Connection<Member>,
  frame: Frame<"react"> | Frame<"unreact">,
): Promise<void> {
  const userId = connection.state!.userId;
  if (frame.type === "react") {
    if (!(await requirePermission(room, connection, frame.clientId, "ADD_REACTIONS", "react to messages here"))) return;
    await apply(room, connection, frame.clientId, () =>
      query(room.database, "addReaction", {
        channelId: room.name,
        seq: frame.seq,
        userId,
        emoji: frame.emoji,
        maxEmoji: REACTIONS_PER_MESSAGE_MAX,
      }),
    );
    return;
  }
  // Taking back one's own reaction needs no permission: a time-out does not pin it there.
  await apply(room, connection, frame.clientId, () =>
    query(room.database, "removeReaction", { channelId: room.name, seq: frame.seq, userId, emoji: frame.emoji }),
  );
}

export async function setPin(
  room: ChatRoom,
  connection: Connection<Member>,
  frame: Frame<"pin"> | Frame<"unpin">,
): Promise<void> {
  const userId = connection.state!.userId;
  const context = await room.access.context(userId);
  // In a DM both people may pin (there are no moderators); in a community it takes MANAGE_MESSAGES.
  const needed = context?.scope === "direct" ? "SEND_MESSAGES" : "MANAGE_MESSAGES";
  if (!(await requirePermission(room, connection, frame.clientId, needed, "pin messages here"))) return;
  await apply(room, connection, frame.clientId, () =>
    query(room.database, "setPinned", {
      channelId: room.name,
      seq: frame.seq,
      actorId: userId,
      isPinned: frame.type === "pin",
      maxPins: PINS_PER_CHANNEL_MAX,
    }),
  );
}
