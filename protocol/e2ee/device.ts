/**
 * One end-to-end encrypting device: what a browser (or a Node test's simulated
 * client) holds — the account key, the device's MLS keys, its KeyPackages, its
 * groups' states and history keys, whom it trusts — and every step it takes with
 * the server: the key directory, the MLS delivery service and its channels'
 * messages. The server is reached through a `DeviceTransport`, so the same class
 * runs in the browser and in Node; its state goes in and out as a `DeviceSnapshot`
 * (structured-clone friendly: the browser keeps it in IndexedDB).
 */
import {
  createCommit,
  createGroup,
  createGroupInfoWithExternalPubAndRatchetTree,
  defaultProposalTypes,
  joinGroup,
  joinGroupExternal,
  processMessage,
  protocolVersions,
  wireformats,
  type CiphersuiteImpl,
  type ClientState,
  type KeyPackage,
  type MlsContext,
  type MlsMessage,
  type PrivateKeyPackage,
} from "ts-mls";
import { base64ToBytes, bytesToBase64 } from "../base64.ts";
import type { MessageView } from "../messages.ts";
import type { MlsCommitView, MlsGroupView, MlsPendingView } from "../mls.ts";
import type { UserKeysView } from "../keys.ts";
import { deviceCertificateMessage } from "./device-certificate.ts";
import { isRotationDue } from "./epoch-rotation.ts";
import { decodeContent, encodeContent, type MessageContent } from "./message-content.ts";
import {
  envelopeEpoch,
  historyKeyOf,
  openMessage,
  ReplayGuard,
  sealMessage,
  type ReplayLog,
} from "./message-crypto.ts";
import {
  AccountKeyTrust,
  deviceStanding,
  directoryAuthService,
  equalBytes,
  newDeviceIdentity,
  newKeyPackage,
  type DeviceIdentity,
  type DirectoryEntry,
  type TrustDecision,
} from "./mls-device.ts";
import { decodeMlsMessage, decodeState, encodeMlsMessage, encodeState, leavesOf } from "./mls-codec.ts";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

/** JSON to the API as this device's session; a non-2xx answer throws an error with `status` and `code`. */
export interface DeviceTransport {
  request<T>(method: Method, path: string, body?: unknown): Promise<T>;
}

/** The status and error code of a failed request, or null for any other error. */
export function failureOf(error: unknown): { status: number; code: string } | null {
  const candidate = error as { status?: unknown; code?: unknown } | null;
  return typeof candidate?.status === "number" && typeof candidate.code === "string"
    ? { status: candidate.status, code: candidate.code }
    : null;
}

/** Everything a device keeps; Uint8Arrays, strings and CryptoKeys only. */
export interface DeviceSnapshot {
  userId: string;
  deviceId: string;
  signatureKeyPair: DeviceIdentity["signatureKeyPair"];
  accountKeys: CryptoKeyPair;
  keyPackages: { publicPackage: Uint8Array; privatePackage: PrivateKeyPackage }[];
  groups: { channelId: string; state: Uint8Array; historyKeys: [string, Uint8Array][] }[];
  /** History keys from the backup or shared by members, for epochs this device was not in. */
  restoredHistory: { channelId: string; keys: [string, Uint8Array][] }[];
  trusted: [string, TrustDecision | Uint8Array][];
}

interface Group {
  state: ClientState;
  /** History keys by epoch: what this device may read. */
  historyKeys: Map<bigint, Uint8Array>;
}

type DeviceClass<D> = new (
  transport: DeviceTransport,
  cipherSuite: CiphersuiteImpl,
  identity: DeviceIdentity,
  accountKeys: CryptoKeyPair,
) => D;

/** Where this device stands in a channel's group. */
export type Membership = "member" | "waiting";

/** A message opened: its content, or why it cannot be read. */
export type Opened = { ok: true; content: MessageContent } | { ok: false; reason: string };

export class E2eeDevice {
  readonly trust = new AccountKeyTrust();
  readonly context: MlsContext;
  readonly groups = new Map<string, Group>();
  readonly restoredHistory = new Map<string, Map<bigint, Uint8Array>>();
  protected keyPackages: { publicPackage: KeyPackage; privatePackage: PrivateKeyPackage }[] = [];
  #replays = new ReplayGuard();

  constructor(
    readonly transport: DeviceTransport,
    readonly cipherSuite: CiphersuiteImpl,
    readonly identity: DeviceIdentity,
    readonly accountKeys: CryptoKeyPair,
  ) {
    this.context = { cipherSuite, authService: directoryAuthService((userId) => this.directory(userId), this.trust) };
  }

  /** Where read envelopes are remembered: in memory unless the device keeps them (the browser does). */
  useReplayLog(log: ReplayLog): this {
    this.#replays = new ReplayGuard(log);
    return this;
  }

  get userId(): string {
    return this.identity.userId;
  }

  get deviceId(): string {
    return this.identity.deviceId;
  }

  /**
   * A new device: publishes the account key (the first device of an account; the same
   * key again is a no-op), cross-signs this session as a device, uploads KeyPackages.
   */
  static async register<D extends E2eeDevice>(
    this: DeviceClass<D>,
    transport: DeviceTransport,
    cipherSuite: CiphersuiteImpl,
    ids: { userId: string; deviceId: string },
    options: { accountKeys?: CryptoKeyPair; keyPackages?: number } = {},
  ): Promise<D> {
    const device = new this(transport, cipherSuite, ...(await newParts(cipherSuite, ids, options.accountKeys)));
    await device.publish(options.keyPackages ?? 3);
    return device;
  }

  /** The device as it was saved. */
  static fromSnapshot<D extends E2eeDevice>(
    this: DeviceClass<D>,
    transport: DeviceTransport,
    cipherSuite: CiphersuiteImpl,
    snapshot: DeviceSnapshot,
  ): D {
    const device = new this(
      transport,
      cipherSuite,
      { userId: snapshot.userId, deviceId: snapshot.deviceId, signatureKeyPair: snapshot.signatureKeyPair },
      snapshot.accountKeys,
    );
    device.load(snapshot);
    return device;
  }

  protected async publish(keyPackages: number): Promise<void> {
    const accountPublicKey = await rawPublicKey(this.accountKeys);
    await this.transport.request("PUT", "/api/keys/account", { publicKey: bytesToBase64(accountPublicKey) });
    const certificate = deviceCertificateMessage(this.userId, this.deviceId, this.identity.signatureKeyPair.publicKey);
    const crossSignature = new Uint8Array(
      await crypto.subtle.sign({ name: "Ed25519" }, this.accountKeys.privateKey, new Uint8Array(certificate)),
    );
    await this.transport.request("PUT", "/api/keys/devices/current", {
      signaturePublicKey: bytesToBase64(this.identity.signatureKeyPair.publicKey),
      crossSignature: bytesToBase64(crossSignature),
    });
    await this.uploadKeyPackages(keyPackages);
  }

  protected load(snapshot: DeviceSnapshot): void {
    this.keyPackages = snapshot.keyPackages.map((pair) => {
      const message = decodeMlsMessage(pair.publicPackage);
      if (message.wireformat !== wireformats.mls_key_package) throw new Error("not a KeyPackage");
      return { publicPackage: message.keyPackage, privatePackage: pair.privatePackage };
    });
    for (const group of snapshot.groups) {
      this.groups.set(group.channelId, {
        state: decodeState(group.state),
        historyKeys: new Map(group.historyKeys.map(([epoch, key]) => [BigInt(epoch), key])),
      });
    }
    for (const entry of snapshot.restoredHistory) {
      this.restoredHistory.set(entry.channelId, new Map(entry.keys.map(([epoch, key]) => [BigInt(epoch), key])));
    }
    for (const [userId, decision] of snapshot.trusted) {
      // Snapshots before verification kept the key alone.
      this.trust.merge(
        userId,
        decision instanceof Uint8Array ? { accountKey: decision, verified: false, decidedAt: 0 } : decision,
      );
    }
  }

  snapshot(): DeviceSnapshot {
    const epochs = (keys: Map<bigint, Uint8Array>) =>
      [...keys].map(([epoch, key]): [string, Uint8Array] => [String(epoch), key]);
    return {
      userId: this.userId,
      deviceId: this.deviceId,
      signatureKeyPair: this.identity.signatureKeyPair,
      accountKeys: this.accountKeys,
      keyPackages: this.keyPackages.map((pair) => ({
        publicPackage: encodeMlsMessage({
          version: protocolVersions.mls10,
          wireformat: wireformats.mls_key_package,
          keyPackage: pair.publicPackage,
        }),
        privatePackage: pair.privatePackage,
      })),
      groups: [...this.groups].map(([channelId, group]) => ({
        channelId,
        state: encodeState(group.state),
        historyKeys: epochs(group.historyKeys),
      })),
      restoredHistory: [...this.restoredHistory].map(([channelId, keys]) => ({ channelId, keys: epochs(keys) })),
      trusted: this.trust.entries(),
    };
  }

  async uploadKeyPackages(count: number): Promise<void> {
    const fresh = await Promise.all(
      Array.from({ length: count }, () => newKeyPackage(this.cipherSuite, this.identity)),
    );
    this.keyPackages.push(...fresh);
    await this.transport.request("POST", "/api/keys/devices/current/key-packages", {
      keyPackages: fresh.map((pair) =>
        bytesToBase64(
          encodeMlsMessage({
            version: protocolVersions.mls10,
            wireformat: wireformats.mls_key_package,
            keyPackage: pair.publicPackage,
          }),
        ),
      ),
    });
  }

  /**
   * The person decided about `userId`'s account key, the one whose safety number they
   * saw: trust it (again), and mark it verified when they compared the number.
   * Refused when the directory lists another key by now (the number shown is stale).
   */
  async decideTrust(userId: string, accountKey: Uint8Array, verified: boolean): Promise<void> {
    const listed = (await this.directory(userId))?.accountKey;
    if (!listed || !equalBytes(listed, accountKey)) {
      throw new Error("their account key changed again: compare the new safety number");
    }
    this.trust.accept(userId, accountKey, verified);
  }

  /** The person's keys as the directory lists them, or null when this device may not see them. */
  async directory(userId: string): Promise<DirectoryEntry | null> {
    let keys: UserKeysView;
    try {
      keys = await this.transport.request<UserKeysView>("GET", `/api/keys/users/${userId}`);
    } catch (error) {
      if (failureOf(error)?.status === 404) return null;
      throw error;
    }
    return {
      accountKey: keys.accountKey && base64ToBytes(keys.accountKey.publicKey),
      devices: keys.devices.map((device) => ({
        deviceId: device.deviceId,
        signaturePublicKey: base64ToBytes(device.signaturePublicKey),
        crossSignature: base64ToBytes(device.crossSignature),
        isSignedByCurrentKey: device.isSignedByCurrentKey,
      })),
    };
  }

  /** The channel's group as the delivery service holds it, with the handshake log from `fromEpoch`. */
  async groupOf(channelId: string, fromEpoch = 0n): Promise<{ group: MlsGroupView | null; commits: MlsCommitView[] }> {
    return this.transport.request("GET", `/api/channels/${channelId}/mls?fromEpoch=${fromEpoch}`);
  }

  /** Whether this device is in the channel's group (an active member). */
  isMember(channelId: string): boolean {
    return this.groups.get(channelId)?.state.groupActiveState.kind === "active";
  }

  /** The epoch this device is in for the channel, or null. */
  epochOf(channelId: string): bigint | null {
    return this.groups.get(channelId)?.state.groupContext.epoch ?? null;
  }

  /**
   * Makes this device a member of the channel's group when it can by itself: catches
   * up if it is one; joins by a Welcome waiting for it; starts the group when the
   * channel has none; joins by External Commit when another device of the same person
   * is a member (their backup holds the history). Otherwise it waits for a member's
   * device to add it (the pending list names it), unless `joinAlone`: then it joins by
   * External Commit and reads from now on.
   */
  async ensureMember(channelId: string, options: { joinAlone?: boolean } = {}): Promise<Membership> {
    if (this.groups.has(channelId)) {
      await this.catchUp(channelId);
      if (this.isMember(channelId)) return "member";
      this.forget(channelId);
    }
    await this.acceptWelcomes();
    if (this.isMember(channelId)) return "member";
    const { group } = await this.groupOf(channelId);
    if (!group) {
      if (await this.startGroup(channelId)) return "member";
      return this.ensureMember(channelId, options);
    }
    const directory = await this.directory(this.userId);
    // Devices certified by a key the person replaced cannot vouch for this one: wait to be added instead.
    const ownDevices = new Set(
      directory?.devices.filter((device) => device.isSignedByCurrentKey).map((device) => device.deviceId) ?? [],
    );
    const hasOwnDevice = group.memberDeviceIds.some((id) => id !== this.deviceId && ownDevices.has(id));
    if (!hasOwnDevice && !options.joinAlone) return "waiting";
    await this.joinExternally(channelId);
    return "member";
  }

  /** Starts the channel's group with this device alone (epoch 0); false when another device started it first. */
  async startGroup(channelId: string): Promise<boolean> {
    const own = await newKeyPackage(this.cipherSuite, this.identity);
    const state = await createGroup({
      context: this.context,
      groupId: new TextEncoder().encode(channelId),
      keyPackage: own.publicPackage,
      privateKeyPackage: own.privatePackage,
    });
    try {
      await this.transport.request("POST", `/api/channels/${channelId}/mls`, {
        groupInfo: await this.groupInfoOf(state),
        memberDeviceIds: [this.deviceId],
      });
    } catch (error) {
      if (failureOf(error)?.code === "group_exists") return false;
      throw error;
    }
    await this.remember(channelId, state);
    return true;
  }

  /** Joins a channel's group by external commit from the GroupInfo the server keeps. */
  async joinExternally(channelId: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const { group } = await this.groupOf(channelId);
      if (!group) throw new Error("this channel has no group to join");
      const groupInfo = decodeMlsMessage(base64ToBytes(group.groupInfo));
      if (groupInfo.wireformat !== wireformats.mls_group_info) throw new Error("not a GroupInfo");
      const own = await newKeyPackage(this.cipherSuite, this.identity);
      const { publicMessage, newState } = await joinGroupExternal({
        context: this.context,
        groupInfo: groupInfo.groupInfo,
        keyPackage: own.publicPackage,
        privateKeys: own.privatePackage,
        resync: false,
      });
      const commit = { version: protocolVersions.mls10, wireformat: wireformats.mls_public_message, publicMessage };
      const members = [...group.memberDeviceIds.filter((id) => id !== this.deviceId), this.deviceId];
      if (await this.submitCommit(channelId, group.epoch, commit as MlsMessage, newState, members)) return;
    }
    throw new Error("could not join the channel's group in five tries");
  }

  /**
   * When the group's epoch is 7 days old or holds 1,000 messages, commits an empty
   * commit (a fresh path, a new history key). Returns whether it rotated.
   */
  async rotateIfDue(channelId: string): Promise<boolean> {
    await this.catchUp(channelId);
    const { group } = await this.groupOf(channelId);
    if (!group || !this.isMember(channelId)) return false;
    if (!isRotationDue({ startedAt: new Date(group.epochStartedAt), messages: group.messagesInEpoch })) return false;
    const state = this.groups.get(channelId)!.state;
    const result = await createCommit({ context: this.context, state, extraProposals: [], ratchetTreeExtension: true });
    return this.submitCommit(
      channelId,
      state.groupContext.epoch,
      result.commit,
      result.newState,
      group.memberDeviceIds,
    );
  }

  /** Processes the commits of the handshake log since this device's epoch, in order. */
  async catchUp(channelId: string): Promise<void> {
    const group = this.groups.get(channelId);
    if (!group) return;
    for (;;) {
      const from = this.epochOf(channelId)!;
      const { commits } = await this.groupOf(channelId, from);
      const next = commits.filter((entry) => BigInt(entry.epoch) >= from);
      for (const entry of next) {
        if (!this.isMember(channelId)) return;
        if (BigInt(entry.epoch) === this.epochOf(channelId)) await this.processCommit(channelId, entry.commit);
      }
      // The log comes in pages: go on while this page moved the epoch forward.
      if (next.length === 0 || this.epochOf(channelId) === from || !this.isMember(channelId)) return;
    }
  }

  /** Applies a commit relayed as a `handshake` frame (or read from the log); an old one is skipped. */
  async processCommit(channelId: string, commit: string): Promise<void> {
    const group = this.groups.get(channelId);
    if (!group || !this.isMember(channelId)) return;
    const message = decodeMlsMessage(base64ToBytes(commit));
    const result = await processMessage({ context: this.context, state: group.state, message: message as never });
    await this.remember(channelId, result.newState);
  }

  /**
   * Commits what the server says the group lacks (devices of people who may now read
   * the channel) or holds too many of (those who may not). Newcomers who may read the
   * channel's whole history get the past history keys in the new epoch: returned, to be
   * sent as a message (a commit adds them apart from newcomers who may not, so that
   * message never reaches someone not entitled to it). Losing the race to another
   * member's commit: catch up and look again.
   */
  async applyPending(channelId: string): Promise<{ committed: boolean; historyShares: MessageContent[] }> {
    const historyShares: MessageContent[] = [];
    let committed = false;
    for (let round = 0; round < 8; round++) {
      await this.catchUp(channelId);
      // Out of the group (its removal was in the log): others commit, not this device.
      if (!this.isMember(channelId)) return { committed, historyShares };
      const pending = await this.transport.request<MlsPendingView>("GET", `/api/channels/${channelId}/mls/pending`);
      const group = this.groups.get(channelId)!;
      const leaves = leavesOf(group.state);
      const removals = pending.remove.flatMap((deviceId) => {
        const leaf = leaves.get(deviceId);
        return leaf === undefined ? [] : [{ proposalType: defaultProposalTypes.remove, remove: { removed: leaf } }];
      });
      const vouched = await this.vouchedAdds(pending.add);
      const entitled = vouched.filter((entry) => entry.readsFromStart);
      const toAdd = entitled.length > 0 ? entitled : vouched;
      if (removals.length === 0 && toAdd.length === 0) return { committed, historyShares };
      const claimed = (await Promise.all(toAdd.map((entry) => this.claim(entry.userId, entry.deviceIds)))).flat();
      const additions = claimed.map((entry) => {
        const message = decodeMlsMessage(base64ToBytes(entry.keyPackage));
        if (message.wireformat !== wireformats.mls_key_package) throw new Error("not a KeyPackage");
        return { proposalType: defaultProposalTypes.add, add: { keyPackage: message.keyPackage } };
      });
      if (removals.length === 0 && additions.length === 0) return { committed, historyShares };
      const result = await createCommit({
        context: this.context,
        state: group.state,
        extraProposals: [...removals, ...additions],
        ratchetTreeExtension: true,
      });
      const members = [
        ...[...leaves.keys()].filter((deviceId) => !pending.remove.includes(deviceId)),
        ...claimed.map((entry) => entry.deviceId),
      ];
      const accepted = await this.submitCommit(
        channelId,
        group.state.groupContext.epoch,
        result.commit,
        result.newState,
        members,
        result.welcome && { message: result.welcome, deviceIds: claimed.map((entry) => entry.deviceId) },
      );
      // Lost: another member's commit won this epoch; theirs is processed next round.
      if (!accepted) continue;
      committed = true;
      const share = this.historyShare(channelId);
      if (additions.length > 0 && entitled.length > 0 && Object.keys(share.keys).length > 0) historyShares.push(share);
    }
    return { committed, historyShares };
  }

  /**
   * The pending adds whose devices an account key this device trusts certifies. A person
   * whose key changed stays pending (and is reported as changed) until it is accepted.
   */
  protected async vouchedAdds(adds: MlsPendingView["add"]): Promise<MlsPendingView["add"]> {
    const vouched = await Promise.all(
      adds.map(async (entry) => {
        const listed = await this.directory(entry.userId);
        if (!listed) return { ...entry, deviceIds: [] };
        const standings = await Promise.all(
          entry.deviceIds.map(async (deviceId) => {
            const device = listed.devices.find((candidate) => candidate.deviceId === deviceId);
            return device && (await deviceStanding(this.trust, entry.userId, listed, device)) === "trusted";
          }),
        );
        return { ...entry, deviceIds: entry.deviceIds.filter((_, index) => standings[index]) };
      }),
    );
    return vouched.filter((entry) => entry.deviceIds.length > 0);
  }

  /** Joins the groups whose Welcomes wait for this device; each Welcome is removed once used. */
  async acceptWelcomes(): Promise<string[]> {
    const { welcomes } = await this.transport.request<{
      welcomes: { id: number; channelId: string; welcome: string }[];
    }>("GET", "/api/keys/welcomes");
    const joined: string[] = [];
    for (const entry of welcomes) {
      const message = decodeMlsMessage(base64ToBytes(entry.welcome));
      if (message.wireformat !== wireformats.mls_welcome) throw new Error("not a Welcome");
      const state = await this.joinWith(message.welcome);
      // A Welcome into an epoch older than the one held (a stale copy) changes nothing.
      const held = this.isMember(entry.channelId) ? this.epochOf(entry.channelId)! : -1n;
      if (state && state.groupContext.epoch > held) {
        await this.remember(entry.channelId, state);
        joined.push(entry.channelId);
      }
      await this.transport.request("DELETE", `/api/keys/welcomes/${entry.id}`);
    }
    return joined;
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

  /** Every history key this device holds for the channel, by epoch. */
  historyKeysOf(channelId: string): Map<bigint, Uint8Array> {
    return new Map([
      ...(this.restoredHistory.get(channelId) ?? []),
      ...(this.groups.get(channelId)?.historyKeys ?? []),
    ]);
  }

  /** The history keys of every epoch before the current one, for newcomers who may read the channel from its start. */
  historyShare(channelId: string): Extract<MessageContent, { kind: "history-keys" }> {
    const current = this.epochOf(channelId)!;
    const keys = Object.fromEntries(
      [...this.historyKeysOf(channelId)]
        .filter(([epoch]) => epoch < current)
        .map(([epoch, key]) => [String(epoch), bytesToBase64(key)]),
    );
    return { kind: "history-keys", keys };
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

  /** Forgets a group this device left or was removed from (its history keys stay readable). */
  forget(channelId: string): void {
    const group = this.groups.get(channelId);
    if (!group) return;
    const kept = this.restoredHistory.get(channelId) ?? new Map<bigint, Uint8Array>();
    for (const [epoch, key] of group.historyKeys) kept.set(epoch, key);
    this.restoredHistory.set(channelId, kept);
    this.groups.delete(channelId);
  }

  /** History keys from a backup or a member's share: kept where this device lacks them. */
  keepHistoryKeys(channelId: string, keys: Record<string, string>): void {
    const held = this.historyKeysOf(channelId);
    const restored = this.restoredHistory.get(channelId) ?? new Map<bigint, Uint8Array>();
    for (const [epoch, key] of Object.entries(keys)) {
      if (!held.has(BigInt(epoch))) restored.set(BigInt(epoch), base64ToBytes(key));
    }
    this.restoredHistory.set(channelId, restored);
  }

  private async claim(userId: string, deviceIds: string[]): Promise<{ deviceId: string; keyPackage: string }[]> {
    const answer = await this.transport.request<{ keyPackages: { deviceId: string; keyPackage: string }[] }>(
      "POST",
      `/api/keys/users/${userId}/claim`,
      { deviceIds },
    );
    return answer.keyPackages;
  }

  /** The Welcome is sealed to one of this device's KeyPackages; null when none opens it. */
  private async joinWith(welcome: Parameters<typeof joinGroup>[0]["welcome"]): Promise<ClientState | null> {
    for (const pair of this.keyPackages) {
      try {
        return await joinGroup({
          context: this.context,
          welcome,
          keyPackage: pair.publicPackage,
          privateKeys: pair.privatePackage,
        });
      } catch {
        // sealed to another of this device's KeyPackages
      }
    }
    return null;
  }

  /**
   * Submits a commit built on `epoch` with the new epoch's GroupInfo, and remembers the
   * new state once the room accepted it. False when another member's commit won the epoch.
   */
  protected async submitCommit(
    channelId: string,
    epoch: bigint | number,
    commit: MlsMessage,
    newState: ClientState,
    memberDeviceIds: string[],
    welcome?: { message: MlsMessage; deviceIds: string[] },
  ): Promise<boolean> {
    try {
      await this.transport.request("POST", `/api/channels/${channelId}/mls/commits`, {
        epoch: Number(epoch),
        commit: bytesToBase64(encodeMlsMessage(commit)),
        groupInfo: await this.groupInfoOf(newState),
        memberDeviceIds,
        ...(welcome
          ? { welcome: bytesToBase64(encodeMlsMessage(welcome.message)), welcomeDeviceIds: welcome.deviceIds }
          : {}),
      });
    } catch (error) {
      if (failureOf(error)?.code === "stale_epoch") return false;
      throw error;
    }
    await this.remember(channelId, newState);
    return true;
  }

  private async groupInfoOf(state: ClientState): Promise<string> {
    const groupInfo = await createGroupInfoWithExternalPubAndRatchetTree(state, [], this.cipherSuite);
    return bytesToBase64(
      encodeMlsMessage({ version: protocolVersions.mls10, wireformat: wireformats.mls_group_info, groupInfo }),
    );
  }

  private async remember(channelId: string, state: ClientState): Promise<void> {
    const group = this.groups.get(channelId) ?? { state, historyKeys: new Map() };
    group.state = state;
    group.historyKeys.set(state.groupContext.epoch, await historyKeyOf(state, this.cipherSuite));
    this.groups.set(channelId, group);
  }
}

async function newParts(
  cipherSuite: CiphersuiteImpl,
  ids: { userId: string; deviceId: string },
  accountKeys?: CryptoKeyPair,
): Promise<[DeviceIdentity, CryptoKeyPair]> {
  const keys =
    accountKeys ?? ((await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair);
  return [await newDeviceIdentity(cipherSuite, ids.userId, ids.deviceId), keys];
}

export async function rawPublicKey(keys: CryptoKeyPair): Promise<Uint8Array> {
  return new Uint8Array((await crypto.subtle.exportKey("raw", keys.publicKey)) as ArrayBuffer);
}
