/**
 * What a person writes, as message content (e2ee/'s `MessageContent`), with
 * the size check made before sealing: sealed, the content must fit the payload cap.
 */
import { encodeContent, type MessageContent } from "../../../e2ee/index.ts";
import { ENVELOPE_HEADER_BYTES, MESSAGE_PAYLOAD_MAX_BYTES } from "../../../protocol/index.ts";

/** AES-GCM's authentication tag, after the ciphertext. */
const TAG_BYTES = 16;

export class ContentError extends Error {
  override name = "ContentError";
}

/** The text as content; throws ContentError when, sealed, it would not fit a message. */
export function textContent(text: string): MessageContent {
  const content: MessageContent = { kind: "text", text };
  const sealedBytes = encodeContent(content).byteLength + ENVELOPE_HEADER_BYTES + TAG_BYTES;
  if (sealedBytes > MESSAGE_PAYLOAD_MAX_BYTES) {
    const limit = MESSAGE_PAYLOAD_MAX_BYTES - ENVELOPE_HEADER_BYTES - TAG_BYTES;
    throw new ContentError(`this message is too long: messages are limited to about ${limit} bytes`);
  }
  return content;
}
