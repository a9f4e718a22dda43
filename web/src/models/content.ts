/**
 * What a person writes, as message content (e2ee/'s `MessageContent`), with
 * the size check made before sealing: sealed, the content must fit the payload cap.
 */
import { encodeContent, type Attachment, type MessageContent } from "../../../e2ee/index.ts";
import { ENVELOPE_HEADER_BYTES, MESSAGE_PAYLOAD_MAX_BYTES } from "../../../protocol/index.ts";

/** AES-GCM's authentication tag, after the ciphertext. */
const TAG_BYTES = 16;
/** What the device adds when sealing: the time and its link in the sender's numbering (JSON). */
const CONTEXT_BYTES_MAX = 128;

export class ContentError extends Error {
  override name = "ContentError";
}

/**
 * The text as content, with what it replies to and its thread (sealed with it, so a
 * server that changes them is caught; an edit names the message it replaces) and the
 * files it carries (an edit carries its message's files again); throws ContentError
 * when, sealed, it would not fit a message.
 */
export function textContent(
  text: string,
  placement: { replyToSeq: number | null; threadRootSeq: number | null; editOf?: number } = {
    replyToSeq: null,
    threadRootSeq: null,
  },
  attachments: readonly Attachment[] = [],
): MessageContent {
  const content: MessageContent = {
    kind: "text",
    text,
    ...(attachments.length > 0 && { attachments: [...attachments] }),
    ...placement,
  };
  const sealedBytes = encodeContent(content).byteLength + CONTEXT_BYTES_MAX + ENVELOPE_HEADER_BYTES + TAG_BYTES;
  if (sealedBytes > MESSAGE_PAYLOAD_MAX_BYTES) {
    const limit = MESSAGE_PAYLOAD_MAX_BYTES - CONTEXT_BYTES_MAX - ENVELOPE_HEADER_BYTES - TAG_BYTES;
    throw new ContentError(`this message is too long: messages are limited to about ${limit} bytes`);
  }
  return content;
}
