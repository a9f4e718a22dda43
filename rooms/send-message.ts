/**
 * Sending a message: check the sender may send here now (permission, time-out,
 * archive, read-only, mentions, files, slow mode), store it through the batcher, then
 * acknowledge it to the sender and relay it to everyone else. Nothing is
 * acknowledged before PostgreSQL committed it, with the uploads it carries bound to it.
 */
import type { Connection } from "partyserver";
import { recordSpans, startSpanTimes, type AppendResult, type MessageRecord } from "../db/index.ts";
import {
  base64ByteLength,
  has,
  MESSAGE_PAYLOAD_MAX_BYTES,
  Permission,
  type ClientFrame,
  type ServerFrame,
} from "../protocol/index.ts";
import type { ChatRoom } from "./chat-room.ts";
import { ackAndRelay, send, staleEpochRefusal, storageFailure } from "./room-frames.ts";
import type { Member } from "./identity.ts";
import { messageView } from "./message-view.ts";

type SendFrame = Extract<ClientFrame, { type: "send" }>;
type AppendRefusal = Extract<AppendResult, { ok: false }>;
type AttachmentProblem = Extract<AppendRefusal, { reason: "invalid_attachment" }>["problem"];

export async function sendMessage(room: ChatRoom, connection: Connection<Member>, frame: SendFrame): Promise<void> {
  const member = connection.state!;
  // Off (the default), the only cost of the latency spans is this check (db/latency-spans.ts).
  const times = room.isTimingSpans ? startSpanTimes() : undefined;
  if (base64ByteLength(frame.payload) > MESSAGE_PAYLOAD_MAX_BYTES) {
    return send(room, connection, {
      type: "error",
      code: "payload_too_large",
      message: `message payloads are limited to ${MESSAGE_PAYLOAD_MAX_BYTES} bytes`,
      clientId: frame.clientId,
    });
  }
  const refusal =
    (await refuseSend(room, member, frame)) ?? (await staleEpochRefusal(room, frame.payload, frame.clientId));
  if (refusal) return send(room, connection, refusal);
  const slowMode = await room.access.slowMode(member.userId, frame.clientId);
  if (!slowMode.isAllowed) {
    return send(room, connection, {
      type: "error",
      code: "slow_mode",
      message: `slow mode is on in this channel: wait ${Math.ceil(slowMode.retryAfterMs / 1000)} s before sending again`,
      clientId: frame.clientId,
      retryAfterMs: slowMode.retryAfterMs,
    });
  }
  const mentions = frame.mentions ?? { userIds: [], roleIds: [], everyone: false, here: false };
  let stored: AppendResult;
  try {
    stored = await room.batcher.append(
      {
        senderId: member.userId,
        senderSessionId: member.sessionId,
        clientId: frame.clientId,
        payload: frame.payload,
        replyToSeq: frame.replyToSeq ?? null,
        threadRootSeq: frame.threadRootSeq ?? null,
        mentionedUserIds: [...new Set(mentions.userIds)],
        mentionedRoleIds: [...new Set(mentions.roleIds)],
        mentionsEveryone: mentions.everyone,
        mentionsHere: mentions.here,
        attachments: frame.attachments ?? [],
      },
      times,
    );
  } catch (error) {
    slowMode.release();
    return send(room, connection, storageFailure(error, frame.clientId));
  }
  if (!stored.ok) {
    slowMode.release();
    return send(room, connection, appendRefusal(stored, frame.clientId));
  }
  // Nothing awaits between the batch's answer and these frames, so relays go out in seq order.
  // A resend after a lost ack was relayed the first time; it is not relayed twice.
  ackAndRelay(room, connection, frame.clientId, messageView(stored.message), !stored.isDuplicate);
  if (times) {
    times.writtenAt = Date.now();
    recordSpans(times);
  }
  const context = await room.access.context(member.userId);
  if (context) room.activity.note(stored.message, context);
}

/**
 * Relays a message found committed after its statement's answer was lost (the
 * batcher calls this before storing anything later, so relays stay in seq order).
 * Its sender was told the send failed; the resend is acknowledged as a duplicate.
 */
export function announceStored(room: ChatRoom, message: MessageRecord): void {
  room.relay(`{"type":"message","message":${JSON.stringify(messageView(message))}}`);
  void room.access.context(message.senderId).then((context) => {
    if (context) room.activity.note(message, context);
  });
}

/** An error frame when the member may not send this here right now, or null. */
async function refuseSend(room: ChatRoom, member: Member, frame: SendFrame): Promise<ServerFrame | null> {
  const context = await room.access.context(member.userId);
  const permissions = await room.access.permissions(member.userId);
  const refuse = (message: string): ServerFrame => ({
    type: "error",
    code: "missing_permission",
    message,
    clientId: frame.clientId,
  });
  if (!has(permissions, Permission.SEND_MESSAGES)) {
    const timedOutUntil = context?.scope === "community" ? context.member.timedOutUntil : null;
    if (timedOutUntil && new Date(timedOutUntil).getTime() > Date.now())
      return refuse(`you are timed out until ${new Date(timedOutUntil).toISOString()}`);
    if (context?.channel.isArchived) return refuse("this channel is archived: it is read-only");
    if (context?.channel.isReadOnly) return refuse("this channel is read-only");
    if (context?.scope === "direct") return refuse("you cannot send messages in this conversation");
    return refuse("you do not have permission to send messages here");
  }
  const mentions = frame.mentions;
  const isMentioningMany = mentions && (mentions.everyone || mentions.here || mentions.roleIds.length > 0);
  if (isMentioningMany && !has(permissions, Permission.MENTION_EVERYONE)) {
    return refuse("you need the mention_everyone permission to mention @everyone, @here or roles");
  }
  if (frame.attachments && !has(permissions, Permission.ATTACH_FILES)) {
    return refuse("you need the attach_files permission to send files here");
  }
  const repeated = frame.attachments?.find((id, index) => frame.attachments!.indexOf(id) !== index);
  if (repeated) {
    return {
      type: "error",
      code: "invalid_attachment",
      message: `upload ${repeated} is named twice: a message carries each file once`,
      clientId: frame.clientId,
    };
  }
  return null;
}

const ATTACHMENT_PROBLEMS: Record<AttachmentProblem, string> = {
  not_yours: "is not an upload of yours (or no longer exists)",
  other_channel: "was uploaded to another channel: upload it again here",
  incomplete: "is not complete: send its remaining parts first",
  already_sent: "is already carried by another message",
  deleted: "was deleted",
};

function appendRefusal(refusal: AppendRefusal, clientId: string): ServerFrame {
  if (refusal.reason === "invalid_attachment") {
    return {
      type: "error",
      code: "invalid_attachment",
      message: `upload ${refusal.uploadId} ${ATTACHMENT_PROBLEMS[refusal.problem]}; nothing was sent`,
      clientId,
    };
  }
  return {
    type: "error",
    code: "no_such_message",
    message: "the message replied to (or the thread's first message) does not exist in this channel",
    clientId,
  };
}
