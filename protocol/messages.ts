/**
 * The message model on the wire. The payload is opaque (end-to-end encrypted, base64
 * here); the rest is metadata the server needs and therefore sees: who sent it from
 * which device, when, what it replies to, which thread it belongs to, who it declares
 * as mentioned, its edit, deletion and pin state, and its reactions (emoji and who
 * put them). `event` orders every change in a channel: a view with a higher event
 * replaces one with a lower event for the same `seq`.
 */
import { z } from "zod";
import { HISTORY_PAGE_MAX } from "./limits.ts";

/** At most this many distinct emoji on one message, and pinned messages in one channel. */
export const REACTIONS_PER_MESSAGE_MAX = 20;
export const PINS_PER_CHANNEL_MAX = 50;
/** Earlier versions kept for one message: past this many edits, it cannot be edited again. */
export const MESSAGE_EDITS_MAX = 50;
export const MENTIONED_USERS_MAX = 50;
export const MENTIONED_ROLES_MAX = 20;

/** An emoji: one short run of visible characters (a Unicode emoji or a `:name:`), no spaces. */
export const emojiSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[^\s\p{Cc}]+$/u, "an emoji has no spaces or control characters");

export const mentionsSchema = z.strictObject({
  userIds: z.array(z.uuid()).max(MENTIONED_USERS_MAX).default([]),
  roleIds: z.array(z.uuid()).max(MENTIONED_ROLES_MAX).default([]),
  everyone: z.boolean().default(false),
  here: z.boolean().default(false),
});
export type Mentions = z.infer<typeof mentionsSchema>;

export interface ReactionView {
  emoji: string;
  count: number;
  /** Who reacted, oldest first (all of them: counts are bounded by the channel's members). */
  userIds: string[];
}

export interface MessageView {
  id: string;
  channelId: string;
  seq: number;
  /** The channel's change counter at this message's latest change. */
  event: number;
  senderId: string;
  senderName: string;
  /** The sending device (a session until devices have keys of their own). */
  senderDeviceId: string | null;
  clientId: string;
  /**
   * The opaque payload, base64. Once deleted: empty, or, when its sender deleted it,
   * the deletion their device sealed (so readers can tell their deletion from others').
   */
  payload: string;
  sentAt: string;
  replyToSeq: number | null;
  threadRootSeq: number | null;
  mentions: Mentions;
  editedAt: string | null;
  deletedAt: string | null;
  /** Who deleted it, as the server says: a moderator's deletion names them. */
  deletedBy: string | null;
  pinnedAt: string | null;
  pinnedBy: string | null;
  /** Replies in the thread this message starts, when it was read (live replies arrive as messages). */
  threadReplyCount: number;
  reactions: ReactionView[];
}

const seqSchema = z.coerce.number().int().positive();

/** History pages: before a seq (the newest by default), after one, or around one. */
export const historyQuerySchema = z
  .object({
    before: seqSchema.optional(),
    after: z.coerce.number().int().min(0).optional(),
    around: seqSchema.optional(),
    /** Messages created or changed after this event, in event order (how a device's search index follows edits). */
    sinceEvent: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(HISTORY_PAGE_MAX).default(50),
  })
  .refine(
    (query) =>
      [query.before, query.after, query.around, query.sinceEvent].filter((value) => value !== undefined).length <= 1,
    "use at most one of before, after, around and sinceEvent",
  );

export const threadQuerySchema = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(HISTORY_PAGE_MAX).default(50),
});

export const markReadSchema = z.strictObject({ seq: z.number().int().min(0) });

export interface UnreadView {
  channelId: string;
  communityId: string | null;
  lastSeq: number;
  lastReadSeq: number;
  /** Messages from others after the read position (counted up to UNREAD_COUNT_CAP). */
  unread: number;
  mentions: number;
}

/** Unread and mention counts stop here: a badge shows "999+" beyond. */
export const UNREAD_COUNT_CAP = 1000;
