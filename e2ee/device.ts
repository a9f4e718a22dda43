/**
 * One end-to-end encrypting device: what a browser (or a Node test's simulated
 * client) holds and does, in three layers — its keys and state (`device-keys.ts`),
 * its channels' MLS groups (`device-groups.ts`), and here its messages: sealing and
 * opening, replays refused.
 */
import { base64ToBytes, bytesToBase64 } from "../protocol/base64.ts";
import type { MessageView } from "../protocol/messages.ts";
import { decodeContent, encodeContent, type MessageContent } from "./message-content.ts";
import { envelopeEpoch, openMessage, ReplayGuard, sealMessage, type ReplayLog } from "./message-crypto.ts";
import { GroupMember } from "./device-groups.ts";
import { deviceStanding } from "./mls-device.ts";

/** A message opened: its content, or why it cannot be read. */
export type Opened = { ok: true; content: MessageContent } | { ok: false; reason: string };

/**
 * One end-to-end encrypting device, as a browser or a Node test's simulated client
 * holds it: its keys (`DeviceKeys`), its groups (`GroupMember`), and its messages —
 * sealed for a channel's current epoch, opened with the sender's device checked
 * against whom this device trusts, replays refused.
 */
export class E2eeDevice extends GroupMember {
  #replays = new ReplayGuard();

  /** Where read envelopes are remembered: in memory unless the device keeps them (the browser does). */
  useReplayLog(log: ReplayLog): this {
    this.#replays = new ReplayGuard(log);
    return this;
  }

  /** The message sealed in the epoch this device holds, as a `send` frame's base64 payload. */
  async seal(channelId: string, content: MessageContent): Promise<string> {
    const group = this.groups.get(channelId);
    if (!group || !this.isMember(channelId)) throw new Error("this device is not in the channel's group");
    const epoch = group.state.groupContext.epoch;
    const envelope = await sealMessage(this.cipherSuite, {
      channelId,
      epoch,
      historyKey: group.historyKeys.get(epoch)!,
      senderDeviceId: this.deviceId,
      signKey: this.identity.signatureKeyPair.signKey,
      plaintext: encodeContent(content),
    });
    return bytesToBase64(envelope);
  }

  /**
   * Opens a stored or relayed message: checks the sender device's signature under the
   * account key this device trusts, refuses replays, decrypts. History keys shared
   * with newcomers are kept. Never throws for a message it cannot read: it says why.
   */
  async open(message: MessageView): Promise<Opened> {
    const envelope = base64ToBytes(message.payload);
    const senderDeviceId = message.senderDeviceId;
    if (!senderDeviceId) return { ok: false, reason: "not end-to-end encrypted" };
    const where = `${message.channelId}#${message.seq}`;
    if (!(await this.#replays.isFresh(senderDeviceId, envelope, where)))
      return { ok: false, reason: "a replayed message" };
    const epoch = envelopeEpoch(envelope);
    if (epoch === null) return { ok: false, reason: "not end-to-end encrypted" };
    const historyKey = this.historyKeysOf(message.channelId).get(epoch);
    if (!historyKey) return { ok: false, reason: "this device holds no key for it" };
    const sender = await this.directory(message.senderId);
    const device = sender?.devices.find((candidate) => candidate.deviceId === senderDeviceId);
    if (!sender || !device) return { ok: false, reason: "the sender's device is unknown" };
    const standing = await deviceStanding(this.trust, message.senderId, sender, device);
    if (standing === "changed") {
      return { ok: false, reason: "the sender's account key changed: verify them before trusting it" };
    }
    if (standing !== "trusted") return { ok: false, reason: "the sender's device is not signed by their account key" };
    let content: MessageContent;
    try {
      const plaintext = await openMessage(this.cipherSuite, {
        channelId: message.channelId,
        historyKey,
        senderDeviceId,
        senderSignaturePublicKey: device.signaturePublicKey,
        envelope,
      });
      content = decodeContent(plaintext);
    } catch (error) {
      return { ok: false, reason: `it failed its integrity check: ${(error as Error).message}` };
    }
    await this.#replays.record(senderDeviceId, envelope, where);
    if (content.kind === "history-keys") this.keepHistoryKeys(message.channelId, content.keys);
    return { ok: true, content };
  }
}
