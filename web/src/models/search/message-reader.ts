/**
 * Turns stored messages into what the index keeps, decrypting with this device's
 * keys the way a channel's chat does (e2ee/'s `open`: signature, replay and
 * integrity checks included), without joining groups or committing anything: the
 * index reads only what the device can already read. A channel that is not end to
 * end encrypted is read as plain content, by the same policy the chat applies.
 */
import type { MessageView } from "../../../../protocol/index.ts";
import { plainReading } from "../encryption/channel-crypto.ts";
import { channelPolicyOf } from "../encryption/channel-policy-check.ts";
import type { Encryption } from "../encryption/encryption.ts";
import type { IndexedMessage } from "./search-index.ts";
import { hasKinds } from "./search-text.ts";

export interface ReadMessages {
  /** Readable text messages, for the index. */
  readable: IndexedMessage[];
  /** Deleted, hidden or unreadable messages: the index must not hold them. */
  unreadable: number[];
}

export type MessageReader = ReturnType<typeof createMessageReader>;

export function createMessageReader(encryption: Encryption) {
  /** Whether each channel is end-to-end encrypted, asked once per channel per page load. */
  const isEncrypted = new Map<string, boolean>();

  return {
    /**
     * Decrypts one channel's messages (one step with the device, so others' steps wait
     * little). Null when the channel is encrypted and this device holds no key for it
     * yet (never opened here, and no backup brought its keys): asked again once it does.
     */
    read(channelId: string, messages: readonly MessageView[]): Promise<ReadMessages | null> {
      return encryption.run(async (device) => {
        if (!isEncrypted.has(channelId))
          isEncrypted.set(channelId, (await channelPolicyOf(device, channelId)).isEncrypted);
        const holdsKeys =
          device.isMember(channelId) ||
          device.historyKeysOf(channelId).size > 0 ||
          device.history.hasArchived(channelId);
        if (isEncrypted.get(channelId) && !holdsKeys) return null;
        const result: ReadMessages = { readable: [], unreadable: [] };
        for (const message of messages) {
          if (message.deletedAt !== null) {
            result.unreadable.push(message.seq);
            continue;
          }
          let text: string | null = null;
          let attachments: readonly { type: string }[] | undefined;
          if (!isEncrypted.get(channelId)) {
            const reading = plainReading(message.payload);
            if (reading.kind === "text") ({ text, attachments } = reading);
          } else {
            const opened = await device.open(message);
            if (opened.ok && opened.content.kind === "text") ({ text, attachments } = opened.content);
          }
          if (text === null) result.unreadable.push(message.seq);
          else result.readable.push(indexedMessage(message, text, attachments));
        }
        return result;
      });
    },
  };
}

/** A message's entry in the index, from its server view and its decrypted text. */
export function indexedMessage(
  message: MessageView,
  text: string,
  attachments: readonly { type: string }[] = [],
): IndexedMessage {
  return {
    channelId: message.channelId,
    seq: message.seq,
    event: message.event,
    sentAt: message.sentAt,
    senderId: message.senderId,
    text,
    has: hasKinds(text, attachments),
    mentions: message.mentions.userIds,
    pinned: message.pinnedAt !== null,
  };
}
