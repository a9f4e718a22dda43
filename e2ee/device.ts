/**
 * One end-to-end encrypting device: what a browser (or a Node test's simulated
 * client) holds and does, composed of parts — its keys and trust (`DeviceKeys`),
 * the history keys it was given (`HistoryKeys`), its channels' MLS groups
 * (`DeviceGroups`) — and here its messages: sealing and opening, replays refused.
 * `E2eeDevice` is the one interface the web models and the simulated clients use.
 */
import { base64ToBytes, bytesToBase64 } from "../protocol/base64.ts";
import type { MessageView } from "../protocol/messages.ts";
import {
  decodeContent,
  encodeContent,
  type MessageContent,
  type SealedContent,
  type TextContent,
} from "./message-content.ts";
import { mediaSecretOf, type MediaSecret } from "./media-keys.ts";
import { envelopeEpoch, openMessage, ReplayGuard, sealMessage, type ReplayLog } from "./message-crypto.ts";
import type { CiphersuiteImpl } from "ts-mls";
import { DeviceGroups, type Membership } from "./device-groups.ts";
import { DeviceKeys, type DeviceSnapshot } from "./device-keys.ts";
import { rosterOf, type RosterChange } from "./group-roster.ts";
import { HistoryKeys } from "./history-keys.ts";
import type { DeviceTransport } from "./transport.ts";
import { deviceStanding, equalBytes } from "./mls-device.ts";
import { SenderChain } from "./sender-chain.ts";

/**
 * A message opened: its content and what its sender sealed around it, or why it
 * cannot be read. A deleted message says who removed it: its sender (they signed the
 * deletion), a moderator, or someone else (the server, or a claim nobody signed).
 */
export type Opened =
  | { ok: true; content: MessageContent; context: MessageContext }
  | { ok: false; reason: string; removedBy?: "sender" | "moderator" | "someone else" };

export interface MessageContext {
  /** What the sender sealed with the text; null when an older app sealed none (the server's word only). */
  sealed: { sentAt: string; replyToSeq: number | null; threadRootSeq: number | null } | null;
  /** Where the server's account differs from what the sender sealed, in words; empty when all agrees. */
  warnings: string[];
}

export type DeviceClass<D> = new (keys: DeviceKeys) => D;

/**
 * One end-to-end encrypting device, as a browser or a Node test's simulated client
 * holds it: its keys, the history keys it was given, its groups, and its messages —
 * sealed for a channel's current epoch, opened with the sender's device checked
 * against whom this device trusts, replays refused.
 */
export class E2eeDevice {
  #replays = new ReplayGuard();
  /** This device's numbering of what it sends, and where it saw others' (`sender-chain.ts`). */
  readonly chain = new SenderChain();
  readonly keys: DeviceKeys;
  readonly history = new HistoryKeys();
  readonly membership: DeviceGroups;

  constructor(keys: DeviceKeys) {
    this.keys = keys;
    this.membership = new DeviceGroups(keys, this.history);
  }

  /** A new device, registered with the key directory (under `accountKeys`, or a new account key). */
  static async register<D extends E2eeDevice>(
    this: DeviceClass<D>,
    transport: DeviceTransport,
    cipherSuite: CiphersuiteImpl,
    ids: { userId: string; deviceId: string },
    options: { accountKeys?: CryptoKeyPair; keyPackages?: number } = {},
  ): Promise<D> {
    const keys = await DeviceKeys.create(transport, cipherSuite, ids, options.accountKeys);
    await keys.publish(options.keyPackages ?? 3);
    return new this(keys);
  }

  /** The device as it was saved. */
  static fromSnapshot<D extends E2eeDevice>(
    this: DeviceClass<D>,
    transport: DeviceTransport,
    cipherSuite: CiphersuiteImpl,
    snapshot: DeviceSnapshot,
  ): D {
    const keys = new DeviceKeys(
      transport,
      cipherSuite,
      { userId: snapshot.userId, deviceId: snapshot.deviceId, signatureKeyPair: snapshot.signatureKeyPair },
      snapshot.accountKeys,
    );
    keys.load(snapshot);
    const device = new this(keys);
    device.membership.load(snapshot);
    for (const entry of snapshot.restoredHistory) {
      device.history.keep(
        entry.channelId,
        entry.keys.map(([epoch, key]) => [BigInt(epoch), key]),
      );
    }
    for (const entry of snapshot.offeredHistory ?? []) {
      const offered = new Map(entry.keys.map(([epoch, keys]) => [BigInt(epoch), keys]));
      device.history.offered.set(entry.channelId, offered);
    }
    device.chain.load(snapshot.senderChains);
    return device;
  }

  snapshot(): DeviceSnapshot {
    return {
      ...this.keys.snapshot(),
      ...this.membership.snapshot(),
      restoredHistory: [...this.history.restored].map(([channelId, keys]) => ({
        channelId,
        keys: [...keys].map(([epoch, key]): [string, Uint8Array] => [String(epoch), key]),
      })),
      offeredHistory: [...this.history.offered].map(([channelId, keys]) => ({
        channelId,
        keys: [...keys].map(([epoch, candidates]): [string, Uint8Array[]] => [String(epoch), candidates]),
      })),
      senderChains: this.chain.snapshot(),
    };
  }

  // The parts' state and steps, as the web models and the simulated clients use them.
  get userId(): string {
    return this.keys.userId;
  }
  get deviceId(): string {
    return this.keys.deviceId;
  }
  get transport(): DeviceTransport {
    return this.keys.transport;
  }
  get cipherSuite(): CiphersuiteImpl {
    return this.keys.cipherSuite;
  }
  get identity() {
    return this.keys.identity;
  }
  get accountKeys(): CryptoKeyPair {
    return this.keys.accountKeys;
  }
  get trust() {
    return this.keys.trust;
  }
  get groups() {
    return this.membership.groups;
  }
  get submitted() {
    return this.membership.submitted;
  }
  get restoredHistory() {
    return this.history.restored;
  }
  /** Called before each step sent to the delivery service, to save the device's state (the browser sets it). */
  set checkpoint(save: () => Promise<void>) {
    this.membership.checkpoint = save;
  }
  directory = (userId: string) => this.keys.directory(userId);
  decideTrust = (userId: string, accountKey: Uint8Array, verified: boolean) =>
    this.keys.decideTrust(userId, accountKey, verified);
  uploadKeyPackages = (count: number) => this.keys.uploadKeyPackages(count);
  isMember = (channelId: string) => this.membership.isMember(channelId);
  epochOf = (channelId: string) => this.membership.epochOf(channelId);
  groupOf = (channelId: string, fromEpoch?: bigint) => this.membership.groupOf(channelId, fromEpoch);
  ensureMember = (channelId: string): Promise<Membership> => this.membership.ensureMember(channelId);
  factsOf = (channelId: string) => this.membership.factsOf(channelId);
  /** The person added these people to a group conversation here: this device may add their devices. */
  welcomeToConversation = (channelId: string, userIds: readonly string[]) =>
    this.membership.welcomeToConversation(channelId, userIds);
  /** What this device refused in the channel (someone added it must not accept), newest last. */
  refusalsOf = (channelId: string) => this.membership.refusals.get(channelId) ?? [];
  /** Who is in the channel's group, from its tree: by device, with the person. */
  rosterOf = (channelId: string) => {
    const group = this.groups.get(channelId);
    return group ? [...rosterOf(group.state).values()] : [];
  };
  set onRosterChange(listen: (change: RosterChange) => void) {
    this.membership.onRosterChange = listen;
  }
  startGroup = (channelId: string) => this.membership.startGroup(channelId);
  joinExternally = (channelId: string) => this.membership.joinExternally(channelId);
  rotateIfDue = (channelId: string) => this.membership.rotateIfDue(channelId);
  catchUp = (channelId: string) => this.membership.catchUp(channelId);
  processCommit = (channelId: string, commit: string) => this.membership.processCommit(channelId, commit);
  applyPending = (channelId: string) => this.membership.applyPending(channelId);
  acceptWelcomes = () => this.membership.acceptWelcomes();
  historyShare = (channelId: string) => this.membership.historyShare(channelId);
  forget = (channelId: string) => this.membership.forget(channelId);
  historyKeysOf = (channelId: string) => this.membership.historyKeysOf(channelId);

  /** The channel's media secret for calls in the epoch this device is in; null when it is not in the group. */
  async mediaSecret(channelId: string): Promise<MediaSecret | null> {
    const group = this.groups.get(channelId);
    if (!group || !this.isMember(channelId)) return null;
    return mediaSecretOf(group.state, this.cipherSuite);
  }

  /** History keys from this person's own backup: kept where this device lacks them. */
  keepHistoryKeys(channelId: string, keys: Record<string, string>): void {
    const held = this.historyKeysOf(channelId);
    this.history.keep(
      channelId,
      Object.entries(keys)
        .map(([epoch, key]): [bigint, Uint8Array] => [BigInt(epoch), base64ToBytes(key)])
        .filter(([epoch]) => !held.has(epoch)),
    );
  }

  /** Where read envelopes are remembered: in memory unless the device keeps them (the browser does). */
  useReplayLog(log: ReplayLog): this {
    this.#replays = new ReplayGuard(log);
    return this;
  }

  /** The message sealed in the epoch this device holds, as a `send` or `edit` frame's base64 payload. */
  async seal(channelId: string, content: MessageContent): Promise<string> {
    if (content.kind === "text") return this.#seal(channelId, this.#withContext(channelId, content));
    // A share is read by everyone in the epoch it is sealed in: only the keys all of them may read.
    if (content.kind === "history-keys")
      return this.#seal(channelId, this.membership.restrictShare(channelId, content));
    // A call record is outside the text numbering (`sender-chain.ts`): readers see it uncounted.
    return this.#seal(channelId, content);
  }

  /** A `delete` frame's proof: the deletion of the message at `seq`, sealed by this device for the channel. */
  async sealDeletion(channelId: string, seq: number): Promise<string> {
    return this.#seal(channelId, { kind: "deletion", seq });
  }

  async #seal(channelId: string, content: SealedContent): Promise<string> {
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
   * Text with its context sealed: what it replies to and its thread (none unless
   * given), the time, and its link in this device's numbering for the channel (an
   * edit keeps the link of the message it replaces, when this device saw it stored).
   */
  #withContext(channelId: string, content: TextContent): TextContent {
    const link =
      content.editOf === undefined
        ? this.chain.next(channelId, content)
        : this.chain.linkAt(channelId, this.deviceId, content.editOf);
    return {
      ...content,
      replyToSeq: content.replyToSeq ?? null,
      threadRootSeq: content.threadRootSeq ?? null,
      sentAt: content.sentAt ?? Date.now(),
      ...(link && { link }),
    };
  }

  /**
   * Opens a stored or relayed message: checks the sender device's signature under the
   * account key this device trusts, refuses replays, decrypts. History keys shared
   * with newcomers are kept. Never throws for a message it cannot read: it says why.
   */
  async open(message: MessageView): Promise<Opened> {
    if (message.deletedAt !== null) return this.#removal(message);
    const envelope = base64ToBytes(message.payload);
    const senderDeviceId = message.senderDeviceId;
    if (!senderDeviceId) return { ok: false, reason: "not end-to-end encrypted" };
    const where = `${message.channelId}#${message.seq}`;
    if (!(await this.#replays.isFresh(senderDeviceId, envelope, where)))
      return { ok: false, reason: "a replayed message" };
    const epoch = envelopeEpoch(envelope);
    if (epoch === null) return { ok: false, reason: "not end-to-end encrypted" };
    const ownKey = this.groups.get(message.channelId)?.historyKeys.get(epoch);
    const historyKeys = this.#keysFor(message.channelId, epoch);
    if (historyKeys.length === 0) return { ok: false, reason: "this device holds no key for it" };
    const sender = await this.directory(message.senderId);
    const device = sender?.devices.find((candidate) => candidate.deviceId === senderDeviceId);
    if (!sender || !device) return { ok: false, reason: "the sender's device is unknown" };
    const standing = await deviceStanding(this.trust, message.senderId, sender, device);
    if (standing === "changed") {
      return { ok: false, reason: "the sender's account key changed: verify them before trusting it" };
    }
    if (standing !== "trusted") return { ok: false, reason: "the sender's device is not signed by their account key" };
    let content: SealedContent | null = null;
    let failure = "";
    // A shared key is a candidate until it opens something: each is tried, a wrong one blocks nothing.
    for (const historyKey of historyKeys) {
      try {
        const plaintext = await openMessage(this.cipherSuite, {
          channelId: message.channelId,
          historyKey,
          senderDeviceId,
          senderSignaturePublicKey: device.signaturePublicKey,
          envelope,
        });
        content = decodeContent(plaintext);
        const isCandidate = this.history.candidates(message.channelId, epoch).includes(historyKey);
        if (historyKey !== ownKey && isCandidate) this.history.prove(message.channelId, epoch, historyKey);
        break;
      } catch (error) {
        failure = (error as Error).message;
      }
    }
    if (!content) return { ok: false, reason: `it failed its integrity check: ${failure}` };
    await this.#replays.record(senderDeviceId, envelope, where);
    if (content.kind === "deletion") return { ok: false, reason: "not a message: a deletion, served as one" };
    if (content.kind === "history-keys") {
      const held = this.historyKeysOf(message.channelId);
      this.history.offer(message.channelId, content.keys, (epoch) => held.has(epoch));
    }
    return { ok: true, content, context: this.#contextOf(message, content) };
  }

  /**
   * The keys to try for an envelope of the channel sealed in `epoch`: the group's own, the
   * restored and offered ones, then those of earlier generations of the group (a group
   * founded again reuses epoch numbers, and an envelope names only its epoch); the AEAD
   * tag tells which one is right.
   */
  #keysFor(channelId: string, epoch: bigint): Uint8Array[] {
    const ownKey = this.groups.get(channelId)?.historyKeys.get(epoch);
    const keys = [
      ...(ownKey ? [ownKey] : []),
      ...this.history.candidates(channelId, epoch),
      ...this.history.archived(channelId, epoch),
    ];
    return keys.filter((key, index) => keys.findIndex((other) => equalBytes(other, key)) === index);
  }

  /** What the sender sealed around the content, checked against what the server says. */
  #contextOf(message: MessageView, content: MessageContent): MessageContext {
    const deviceId = message.senderDeviceId!;
    const isOwn = deviceId === this.deviceId;
    const see = (link: TextContent["link"] | null, isCounted = true) =>
      this.chain.see(message.channelId, message.seq, { deviceId, link: link ?? null, isCounted }, isOwn);
    if (content.kind !== "text") {
      see(null, false);
      return { sealed: null, warnings: [] };
    }
    if (content.sentAt === undefined) {
      see(null);
      return { sealed: null, warnings: [] };
    }
    const sealed = {
      sentAt: new Date(content.sentAt).toISOString(),
      replyToSeq: content.replyToSeq ?? null,
      threadRootSeq: content.threadRootSeq ?? null,
    };
    const warnings = placementWarnings(sealed, message);
    if (content.editOf !== undefined && (content.editOf !== message.seq || message.editedAt === null)) {
      warnings.push("an edit its sender made to another message, shown in this one's place");
    }
    return { sealed, warnings: [...warnings, ...see(content.link)] };
  }

  /**
   * Who removed a deleted message. The server names who deleted it; "its sender" is
   * believed only with the deletion its sender's device sealed for this channel and seq.
   */
  async #removal(message: MessageView): Promise<Opened> {
    if (message.senderDeviceId) {
      this.chain.see(message.channelId, message.seq, { deviceId: message.senderDeviceId, link: null, isCounted: true });
    }
    if (message.deletedBy !== null && message.deletedBy !== message.senderId) {
      return { ok: false, reason: "removed by a moderator", removedBy: "moderator" };
    }
    if (message.deletedBy !== null && (await this.#isDeletionSigned(message))) {
      return { ok: false, reason: "deleted by its sender", removedBy: "sender" };
    }
    const claim =
      message.deletedBy === null ? "" : ": the server says its sender deleted it, but they did not sign that";
    return { ok: false, reason: `removed by someone other than its sender${claim}`, removedBy: "someone else" };
  }

  /** The tombstone holds a deletion of this seq, sealed for this channel by one of the sender's trusted devices. */
  async #isDeletionSigned(message: MessageView): Promise<boolean> {
    const envelope = base64ToBytes(message.payload);
    const epoch = envelopeEpoch(envelope);
    if (epoch === null) return false;
    const historyKeys = this.#keysFor(message.channelId, epoch);
    const sender = await this.directory(message.senderId);
    for (const device of sender?.devices ?? []) {
      if ((await deviceStanding(this.trust, message.senderId, sender!, device)) !== "trusted") continue;
      for (const historyKey of historyKeys) {
        try {
          const plaintext = await openMessage(this.cipherSuite, {
            channelId: message.channelId,
            historyKey,
            senderDeviceId: device.deviceId,
            senderSignaturePublicKey: device.signaturePublicKey,
            envelope,
          });
          const content = decodeContent(plaintext);
          return content.kind === "deletion" && content.seq === message.seq;
        } catch {
          // not this device's, or not under this key
        }
      }
    }
    return false;
  }
}

/** The reply and thread the server shows against those the sender sealed, in words. */
function placementWarnings(
  sealed: { replyToSeq: number | null; threadRootSeq: number | null },
  shown: MessageView,
): string[] {
  const warnings: string[] = [];
  if (sealed.replyToSeq !== shown.replyToSeq) {
    warnings.push(
      sealed.replyToSeq === null
        ? "shown as a reply, but its sender did not reply to anything"
        : shown.replyToSeq === null
          ? "its sender wrote it as a reply, but the message it replies to is not shown"
          : "shown as a reply to another message than the one its sender replied to",
    );
  }
  if (sealed.threadRootSeq !== shown.threadRootSeq) {
    warnings.push(
      sealed.threadRootSeq === null
        ? "shown in a thread its sender did not post it in"
        : shown.threadRootSeq === null
          ? "its sender posted it in a thread, but it is shown outside it"
          : "shown in another thread than the one its sender posted it in",
    );
  }
  return warnings;
}
