/**
 * The message a notification is about, read the way the channel would read it: one
 * message from the history route (`after=seq-1&limit=1`) and opened with this
 * device's keys through the encryption model. Opening it here does not spend it:
 * reading an envelope again where it was is not a replay, so the channel shows it as
 * usual later. When the device cannot open it (not in the channel's group yet,
 * locked, keys missing) the text is null and the notification names only the sender.
 */
import { base64ToBytes, type MessageView } from "../../../../protocol/index.ts";
import type { Encryption } from "../encryption/encryption.ts";
import type { Session } from "../session.ts";

/** A notification shows the start of a long message, as the system would cut it anyway. */
const TEXT_MAX_CHARS = 200;

export interface MessageForNotification {
  senderId: string;
  senderName: string;
  /** The decrypted text, or null when it cannot be read here. */
  text: string | null;
}

export async function messageForNotification(
  session: Session,
  encryption: Encryption,
  channelId: string,
  seq: number,
): Promise<MessageForNotification | null> {
  const { messages } = await session.request<{ messages: MessageView[] }>(
    `/api/channels/${encodeURIComponent(channelId)}/messages?after=${seq - 1}&limit=1`,
  );
  const message = messages.find((candidate) => candidate.seq === seq);
  if (!message || message.deletedAt !== null) return null;
  return { senderId: message.senderId, senderName: message.senderName, text: await textOf(message, encryption) };
}

async function textOf(message: MessageView, encryption: Encryption): Promise<string | null> {
  // A channel too large for end-to-end encryption carries its messages in clear, from no device.
  if (!message.senderDeviceId) return shortened(plainText(message.payload));
  if (encryption.state.peek().kind !== "ready") return null;
  try {
    const opened = await encryption.run((device) => device.open(message));
    return opened.ok && opened.content.kind === "text" ? shortened(opened.content.text) : null;
  } catch {
    return null;
  }
}

function plainText(payload: string): string | null {
  try {
    const value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(base64ToBytes(payload))) as {
      text?: unknown;
    };
    return typeof value.text === "string" ? value.text : null;
  } catch {
    return null;
  }
}

function shortened(text: string | null): string | null {
  if (text === null) return null;
  const trimmed = text.trim();
  if (trimmed.length === 0) return null;
  return trimmed.length > TEXT_MAX_CHARS ? `${trimmed.slice(0, TEXT_MAX_CHARS - 1)}…` : trimmed;
}
