/**
 * What a message says, turned into the opaque payload the server stores and back.
 * For now the payload is plain UTF-8 JSON `{"text": ...}`: this module is the one
 * place end-to-end encryption will replace (encrypt here, decrypt there).
 */
import { base64ToBytes, bytesToBase64, MESSAGE_PAYLOAD_MAX_BYTES } from "../../../protocol/index.ts";

export interface MessageContent {
  text: string;
}

export class ContentError extends Error {
  override name = "ContentError";
}

/** The base64 payload for a send frame; throws ContentError when it is too large. */
export function encodeContent(content: MessageContent): string {
  const bytes = new TextEncoder().encode(JSON.stringify({ text: content.text }));
  if (bytes.byteLength > MESSAGE_PAYLOAD_MAX_BYTES) {
    throw new ContentError(`this message is too long: messages are limited to ${MESSAGE_PAYLOAD_MAX_BYTES} bytes`);
  }
  return bytesToBase64(bytes);
}

/** Never throws: a payload this client cannot read is shown as such, not dropped. */
export function decodeContent(payload: string): MessageContent | null {
  try {
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(base64ToBytes(payload)));
    if (typeof value === "object" && value !== null && typeof (value as { text?: unknown }).text === "string") {
      return { text: (value as { text: string }).text };
    }
  } catch {
    // Fall through: not ours to read.
  }
  return null;
}
