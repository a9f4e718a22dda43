/**
 * What an encrypted message holds once opened: text a person wrote, or the history
 * keys a member shares with newcomers to a channel whose history they may read from
 * its start. Clients show the first and keep the second; the server sees neither.
 */
import { z } from "zod";

const contentSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("text"), text: z.string() }),
  z.strictObject({
    kind: z.literal("history-keys"),
    /** History keys by epoch (decimal), base64: the epochs before the newcomer's. */
    keys: z.record(z.string().regex(/^\d+$/), z.string()),
  }),
]);
export type MessageContent = z.infer<typeof contentSchema>;

export function encodeContent(content: MessageContent): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(content));
}

/** The content of an opened message; throws when it is not one a client wrote. */
export function decodeContent(plaintext: Uint8Array): MessageContent {
  return contentSchema.parse(JSON.parse(new TextDecoder().decode(plaintext)));
}
