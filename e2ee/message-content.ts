/**
 * What an encrypted message holds once opened: text a person wrote (with the context
 * its sender sealed), the record of a call in a conversation (posted by the caller's
 * client when the call ended), the history keys a member shares with newcomers to a
 * channel whose history they may read from its start, or a sender's signed deletion
 * (kept in the deleted message's place). Clients show the first two and keep the
 * others; the server sees none of them.
 */
import { z } from "zod";
import { chainLinkSchema } from "./sender-chain.ts";

const seqSchema = z.number().int().positive();

/**
 * A file a message carries (docs/files.md): everything the reader needs, sealed: the
 * server holds only the encrypted bytes under `fileId`. Images were re-encoded by the
 * sender's client (no EXIF); `width`/`height`/`blurhash` let the timeline keep the
 * image's place while it loads.
 */
export const attachmentSchema = z.strictObject({
  /** The upload's id: `GET /api/files/:fileId`. */
  fileId: z.uuid(),
  /** The file's AES-256-GCM key (`attachment-crypto.ts`), base64 of 32 bytes. */
  key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  /** As the sender's device named it; shown and used to download, never a path. */
  name: z
    .string()
    .min(1)
    .max(255)
    .refine((name) => !/[\\/\u0000-\u001f\u007f]/.test(name), "a file name has no slashes or control characters"),
  /** Its media type as the sender's browser saw it ("application/octet-stream" when unknown). */
  type: z.string().min(1).max(127),
  /** Plaintext bytes. */
  size: z.number().int().nonnegative(),
  width: z.number().int().positive().max(65535).optional(),
  height: z.number().int().positive().max(65535).optional(),
  /** A blurred placeholder (https://blurha.sh) of an image or a video's first frame. */
  blurhash: z.string().min(6).max(120).optional(),
  /** Audio and video. */
  durationMs: z.number().int().nonnegative().optional(),
  /** Hidden until the reader clicks it. */
  spoiler: z.boolean().optional(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

const contentSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("text"),
    /** May be empty when the message carries files (their caption). */
    text: z.string(),
    /** Files, in the order shown; the send frame names the same ids (`attachments`). */
    attachments: z.array(attachmentSchema).min(1).max(10).optional(),
    // The sealed context: what the server also says, checked against it. An older
    // app's message has none of these (its context is the server's word only).
    replyToSeq: seqSchema.nullable().optional(),
    threadRootSeq: seqSchema.nullable().optional(),
    /** An edit: the seq of the message this text replaces. */
    editOf: seqSchema.optional(),
    /** The sender's clock when it sealed the text, in ms since 1970. */
    sentAt: z.number().int().nonnegative().optional(),
    /** Where it sits among its sender device's messages in the channel (`sender-chain.ts`). */
    link: chainLinkSchema.optional(),
  }),
  /**
   * A DM or group-DM call that ended, as the room told its caller (`call.ended`): the
   * server never writes into an encrypted conversation, so the caller's client does.
   */
  z.strictObject({
    kind: z.literal("call"),
    callId: z.string().min(1).max(64),
    outcome: z.enum(["answered", "missed", "declined"]),
    durationMs: z.number().int().nonnegative(),
    video: z.boolean(),
  }),
  z.strictObject({
    kind: z.literal("history-keys"),
    /** History keys by epoch (decimal), base64: the epochs before the newcomer's. */
    keys: z.record(z.string().regex(/^\d+$/), z.string()),
  }),
  /** Sent with a `delete` frame, not as a message: its sender deleted the message at `seq`. */
  z.strictObject({ kind: z.literal("deletion"), seq: seqSchema }),
]);
export type SealedContent = z.infer<typeof contentSchema>;
/** What a message holds: shown (text, a call record) or kept (history keys). */
export type MessageContent = Exclude<SealedContent, { kind: "deletion" }>;
export type TextContent = Extract<MessageContent, { kind: "text" }>;
export type CallRecordContent = Extract<MessageContent, { kind: "call" }>;

export function encodeContent(content: SealedContent): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(content));
}

/** The content of an opened envelope; throws when it is not one a client wrote. */
export function decodeContent(plaintext: Uint8Array): SealedContent {
  return contentSchema.parse(JSON.parse(new TextDecoder().decode(plaintext)));
}
