/**
 * A simulated end-to-end encrypting device for Node tests: it holds what a browser
 * would (the account key, the device's MLS keys, its KeyPackages, its groups' states
 * and history keys) and talks to the real server only through the public API: the
 * key directory, the MLS delivery service and the channel socket. Everything MLS
 * comes from protocol/e2ee, the same module the web app uses. One class, longer than
 * our usual file: it is one device's whole state, the reference for the browser client.
 */
import {
  createCommit,
  createGroup,
  createGroupInfoWithExternalPubAndRatchetTree,
  decode,
  defaultProposalTypes,
  encode,
  joinGroup,
  joinGroupExternal,
  mlsMessageDecoder,
  mlsMessageEncoder,
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
import WebSocket from "ws";
import {
  base64ToBytes,
  bytesToBase64,
  type MessageView,
  type MlsGroupView,
  type MlsPendingView,
  type ServerFrame,
  type UserKeysView,
} from "../../protocol/index.ts";
import {
  AccountKeyTrust,
  isRotationDue,
  decodeContent,
  envelopeEpoch,
  encodeContent,
  type MessageContent,
  openBackup,
  sealBackup,
  unwrapWithPassphrase,
  wrapWithPassphrase,
  type BackupContent,
  deviceCertificateMessage,
  directoryAuthService,
  historyKeyOf,
  newDeviceIdentity,
  newKeyPackage,
  openMessage,
  ReplayGuard,
  sealMessage,
  type DeviceIdentity,
  type DirectoryEntry,
} from "../../protocol/e2ee/index.ts";
import { call, type Account } from "./accounts.ts";
import type { RunningServer } from "./server.ts";

const encodeMessage = (message: MlsMessage) => bytesToBase64(encode(mlsMessageEncoder, message));
const decodeMessage = (base64: string): MlsMessage => {
  const message = decode(mlsMessageDecoder, base64ToBytes(base64));
  if (!message) throw new Error("not an MLS message");
  return message;
};

interface Group {
  state: ClientState;
  /** History keys by epoch: what this device may read. */
  historyKeys: Map<bigint, Uint8Array>;
}

export class SimulatedDevice {
  readonly trust = new AccountKeyTrust();
  readonly context: MlsContext;
  readonly groups = new Map<string, Group>();
  #keyPackages: { publicPackage: KeyPackage; privatePackage: PrivateKeyPackage }[] = [];
  #replays = new ReplayGuard();

  private constructor(
    readonly server: RunningServer,
    readonly account: Account,
    readonly cipherSuite: CiphersuiteImpl,
    readonly identity: DeviceIdentity,
    readonly accountKeys: CryptoKeyPair,
  ) {
    this.context = { cipherSuite, authService: directoryAuthService((userId) => this.directory(userId), this.trust) };
  }

  /** Sets the account key (once per account), registers this session as a device, uploads KeyPackages. */
  static async setUp(
    server: RunningServer,
    account: Account,
    cipherSuite: CiphersuiteImpl,
    options: { accountKeys?: CryptoKeyPair; keyPackages?: number } = {},
  ): Promise<SimulatedDevice> {
    const accountKeys =
      options.accountKeys ??
      ((await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair);
    const identity = await newDeviceIdentity(cipherSuite, account.id, account.sessionId);
    const device = new SimulatedDevice(server, account, cipherSuite, identity, accountKeys);
    const accountPublicKey = new Uint8Array(
      (await crypto.subtle.exportKey("raw", accountKeys.publicKey)) as ArrayBuffer,
    );
    await device.api("PUT", "/api/keys/account", { publicKey: bytesToBase64(accountPublicKey) });
    const certificate = deviceCertificateMessage(account.id, account.sessionId, identity.signatureKeyPair.publicKey);
    const crossSignature = new Uint8Array(
      await crypto.subtle.sign({ name: "Ed25519" }, accountKeys.privateKey, new Uint8Array(certificate)),
    );
    await device.api("PUT", "/api/keys/devices/current", {
      signaturePublicKey: bytesToBase64(identity.signatureKeyPair.publicKey),
      crossSignature: bytesToBase64(crossSignature),
    });
    await device.uploadKeyPackages(options.keyPackages ?? 3);
    return device;
  }

  async api<T = any>(method: string, path: string, body?: unknown, expected: number[] = [200, 201, 204]): Promise<T> {
    const response = await call(this.server, path, { method, token: this.account.token, body });
    if (!expected.includes(response.status)) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
    return response.body as T;
  }

  async uploadKeyPackages(count: number): Promise<void> {
    const fresh = await Promise.all(
      Array.from({ length: count }, () => newKeyPackage(this.cipherSuite, this.identity)),
    );
    this.#keyPackages.push(...fresh);
    await this.api("POST", "/api/keys/devices/current/key-packages", {
      keyPackages: fresh.map((pair) =>
        encodeMessage({
          version: protocolVersions.mls10,
          wireformat: wireformats.mls_key_package,
          keyPackage: pair.publicPackage,
        }),
      ),
    });
  }

  /** The person's keys as the directory lists them, or null when this device may not see them. */
  async directory(userId: string): Promise<DirectoryEntry | null> {
    const response = await call(this.server, `/api/keys/users/${userId}`, { token: this.account.token });
    if (response.status === 404) return null;
    if (response.status !== 200) throw new Error(`GET /api/keys/users/${userId}: ${response.status} ${response.text}`);
    const keys = response.body as UserKeysView;
    return {
      accountKey: keys.accountKey && base64ToBytes(keys.accountKey.publicKey),
      devices: keys.devices.map((device) => ({
        deviceId: device.deviceId,
        signaturePublicKey: base64ToBytes(device.signaturePublicKey),
        crossSignature: base64ToBytes(device.crossSignature),
      })),
    };
  }

  /** Starts the channel's group with this device alone (epoch 0). */
  async startGroup(channelId: string): Promise<void> {
    const own = await newKeyPackage(this.cipherSuite, this.identity);
    const state = await createGroup({
      context: this.context,
      groupId: new TextEncoder().encode(channelId),
      keyPackage: own.publicPackage,
      privateKeyPackage: own.privatePackage,
    });
    await this.api("POST", `/api/channels/${channelId}/mls`, {
      groupInfo: await this.groupInfoOf(state),
      memberDeviceIds: [this.account.sessionId],
    });
    await this.remember(channelId, state);
  }

  /** History keys restored from the backup, per channel and epoch (before or besides any group state). */
  readonly restoredHistory = new Map<string, Map<bigint, Uint8Array>>();

  /** Seals this device's keys into the account's backup (on top of the stored version). */
  async backUp(recoveryKey: Uint8Array, passphrase?: string): Promise<number> {
    const historyKeys: BackupContent["historyKeys"] = {};
    const add = (channelId: string, epoch: bigint, key: Uint8Array) => {
      historyKeys[channelId] ??= {};
      historyKeys[channelId][String(epoch)] = bytesToBase64(key);
    };
    for (const [channelId, keys] of this.restoredHistory) for (const [epoch, key] of keys) add(channelId, epoch, key);
    for (const [channelId, group] of this.groups)
      for (const [epoch, key] of group.historyKeys) add(channelId, epoch, key);
    const content: BackupContent = {
      accountKey: {
        privateKey: bytesToBase64(new Uint8Array(await crypto.subtle.exportKey("pkcs8", this.accountKeys.privateKey))),
        publicKey: bytesToBase64(
          new Uint8Array((await crypto.subtle.exportKey("raw", this.accountKeys.publicKey)) as ArrayBuffer),
        ),
      },
      trustedAccountKeys: Object.fromEntries(this.trust.entries().map(([userId, key]) => [userId, bytesToBase64(key)])),
      historyKeys,
    };
    const stored = await call(this.server, "/api/keys/backup", { token: this.account.token });
    const previousVersion = stored.status === 200 ? (stored.body.version as number) : 0;
    const answer = await this.api<{ version: number }>("PUT", "/api/keys/backup", {
      previousVersion,
      backup: bytesToBase64(await sealBackup(recoveryKey, content)),
      passphraseWrap: passphrase ? bytesToBase64(await wrapWithPassphrase(recoveryKey, passphrase)) : null,
    });
    return answer.version;
  }

  /**
   * A new device of an account that has a backup: opens it with the recovery key (or
   * the passphrase), takes the account key from it to cross-sign itself, and restores
   * trust and every history key.
   */
  static async restore(
    server: RunningServer,
    account: Account,
    cipherSuite: CiphersuiteImpl,
    secret: { recoveryKey: Uint8Array } | { passphrase: string },
  ): Promise<SimulatedDevice> {
    const stored = await call(server, "/api/keys/backup", { token: account.token });
    if (stored.status !== 200) throw new Error(`no backup: ${stored.status}`);
    const recoveryKey =
      "recoveryKey" in secret
        ? secret.recoveryKey
        : await unwrapWithPassphrase(base64ToBytes(stored.body.passphraseWrap), secret.passphrase);
    const content = await openBackup(recoveryKey, base64ToBytes(stored.body.backup));
    const accountKeys: CryptoKeyPair = {
      privateKey: await crypto.subtle.importKey(
        "pkcs8",
        new Uint8Array(base64ToBytes(content.accountKey.privateKey)),
        { name: "Ed25519" },
        true,
        ["sign"],
      ),
      publicKey: await crypto.subtle.importKey(
        "raw",
        new Uint8Array(base64ToBytes(content.accountKey.publicKey)),
        { name: "Ed25519" },
        true,
        ["verify"],
      ),
    };
    const device = await SimulatedDevice.setUp(server, account, cipherSuite, { accountKeys });
    for (const [userId, key] of Object.entries(content.trustedAccountKeys))
      device.trust.accept(userId, base64ToBytes(key));
    for (const [channelId, keys] of Object.entries(content.historyKeys)) {
      device.restoredHistory.set(
        channelId,
        new Map(Object.entries(keys).map(([epoch, key]) => [BigInt(epoch), base64ToBytes(key)])),
      );
    }
    return device;
  }

  /** Joins a channel's group by external commit from the GroupInfo the server keeps (a new device of a member). */
  async joinExternally(channelId: string): Promise<void> {
    const { group } = await this.api<{ group: { epoch: number; groupInfo: string; memberDeviceIds: string[] } }>(
      "GET",
      `/api/channels/${channelId}/mls`,
    );
    const groupInfo = decodeMessage(group.groupInfo);
    if (groupInfo.wireformat !== wireformats.mls_group_info) throw new Error("not a GroupInfo");
    const own = await newKeyPackage(this.cipherSuite, this.identity);
    const { publicMessage, newState } = await joinGroupExternal({
      context: this.context,
      groupInfo: groupInfo.groupInfo,
      keyPackage: own.publicPackage,
      privateKeys: own.privatePackage,
      resync: false,
    });
    const commit = {
      version: protocolVersions.mls10,
      wireformat: wireformats.mls_public_message,
      publicMessage,
    } as const;
    const answer = await this.submitCommit(channelId, group.epoch, commit, newState, [
      ...group.memberDeviceIds,
      this.account.sessionId,
    ]);
    if (answer.status !== 201) throw new Error(`external join: ${answer.status} ${answer.text}`);
  }

  /**
   * Before sending: when the group's epoch is 7 days old or holds 1,000 messages, commit
   * an empty commit (a fresh path, a new history key). Returns whether it rotated.
   */
  async rotateIfDue(channelId: string): Promise<boolean> {
    await this.catchUp(channelId);
    const { group } = await this.api<{ group: MlsGroupView }>("GET", `/api/channels/${channelId}/mls`);
    if (!isRotationDue({ startedAt: new Date(group.epochStartedAt), messages: group.messagesInEpoch })) return false;
    const state = this.groups.get(channelId)!.state;
    const result = await createCommit({ context: this.context, state, extraProposals: [], ratchetTreeExtension: true });
    const answer = await this.submitCommit(
      channelId,
      state.groupContext.epoch,
      result.commit,
      result.newState,
      group.memberDeviceIds,
    );
    if (answer.status !== 201) throw new Error(`rotation: ${answer.status} ${answer.text}`);
    return true;
  }

  /** Processes the commits of the handshake log since this device's epoch, in order. */
  async catchUp(channelId: string): Promise<void> {
    const group = this.groups.get(channelId)!;
    const log = await this.api<{ commits: { epoch: number; commit: string }[] }>(
      "GET",
      `/api/channels/${channelId}/mls?fromEpoch=${group.state.groupContext.epoch}`,
    );
    for (const entry of log.commits) {
      if (BigInt(entry.epoch) === this.groups.get(channelId)!.state.groupContext.epoch) {
        await this.processCommit(channelId, entry.commit);
      }
    }
  }

  /**
   * Commits what the server says the group lacks (devices of people who may now read
   * the channel) or holds too many of (those who may not), in one commit. Losing the
   * race to another member's commit: catch up and look again. Returns whether it committed.
   */
  async applyPending(channelId: string): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      await this.catchUp(channelId);
      // Out of the group (its removal was in the log): others commit, not this device.
      if (this.groups.get(channelId)!.state.groupActiveState.kind !== "active") return false;
      const pending = await this.api<MlsPendingView>("GET", `/api/channels/${channelId}/mls/pending`);
      if (pending.add.length === 0 && pending.remove.length === 0) return false;
      const group = this.groups.get(channelId)!;
      const leaves = this.leavesOf(group.state);
      const removals = pending.remove.flatMap((deviceId) => {
        const leaf = leaves.get(deviceId);
        return leaf === undefined ? [] : [{ proposalType: defaultProposalTypes.remove, remove: { removed: leaf } }];
      });
      const claimed = (
        await Promise.all(
          pending.add.map((entry) =>
            this.api<{ keyPackages: { deviceId: string; keyPackage: string }[] }>(
              "POST",
              `/api/keys/users/${entry.userId}/claim`,
              { deviceIds: entry.deviceIds },
            ),
          ),
        )
      ).flatMap((answer) => answer.keyPackages);
      const additions = claimed.map((entry) => {
        const message = decodeMessage(entry.keyPackage);
        if (message.wireformat !== wireformats.mls_key_package) throw new Error("not a KeyPackage");
        return { proposalType: defaultProposalTypes.add, add: { keyPackage: message.keyPackage } };
      });
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
      const response = await this.submitCommit(
        channelId,
        group.state.groupContext.epoch,
        result.commit,
        result.newState,
        members,
        result.welcome && { message: result.welcome, deviceIds: claimed.map((entry) => entry.deviceId) },
      );
      if (response.status === 201) {
        if (additions.length > 0) {
          const channel = await this.api<{ channel: { newcomerHistory: string } }>("GET", `/api/channels/${channelId}`);
          if (channel.channel.newcomerHistory === "from_start") await this.shareHistory(channelId);
        }
        return true;
      }
      if (response.body?.error?.code !== "stale_epoch") throw new Error(`commit: ${response.status} ${response.text}`);
      // Another member's commit won this epoch: ours is dropped, theirs is processed next round.
    }
    throw new Error("could not commit the pending changes in five tries");
  }

  /** Joins the groups whose Welcomes wait for this device; each Welcome is removed once used. */
  async acceptWelcomes(): Promise<string[]> {
    const { welcomes } = await this.api<{ welcomes: { id: number; channelId: string; welcome: string }[] }>(
      "GET",
      "/api/keys/welcomes",
    );
    const joined: string[] = [];
    for (const entry of welcomes) {
      const message = decodeMessage(entry.welcome);
      if (message.wireformat !== wireformats.mls_welcome) throw new Error("not a Welcome");
      const state = await this.joinWith(message.welcome);
      await this.remember(entry.channelId, state);
      await this.api("DELETE", `/api/keys/welcomes/${entry.id}`);
      joined.push(entry.channelId);
    }
    return joined;
  }

  /** Applies a commit relayed as a `handshake` frame (or read from the log). */
  async processCommit(channelId: string, commit: string): Promise<void> {
    const group = this.groups.get(channelId)!;
    const result = await processMessage({
      context: this.context,
      state: group.state,
      message: decodeMessage(commit) as never,
    });
    await this.remember(channelId, result.newState);
  }

  /**
   * The message as sealed for the channel (a `send` frame's payload), after processing every
   * commit this device missed: sealed in an epoch the group has left, a message would be
   * readable by whoever was removed since.
   */
  async seal(channelId: string, text: string | MessageContent): Promise<string> {
    await this.catchUp(channelId);
    const group = this.groups.get(channelId)!;
    const epoch = group.state.groupContext.epoch;
    const envelope = await sealMessage(this.cipherSuite, {
      channelId,
      epoch,
      historyKey: group.historyKeys.get(epoch)!,
      senderDeviceId: this.account.sessionId,
      signKey: this.identity.signatureKeyPair.signKey,
      plaintext: encodeContent(typeof text === "string" ? { kind: "text", text } : text),
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

  /**
   * For a channel whose newcomers read from its start: seals every history key before
   * the current epoch into a message of the current epoch, which only the members of
   * this epoch (the newcomers among them) can open, and sends it.
   */
  async shareHistory(channelId: string): Promise<void> {
    const current = this.groups.get(channelId)!.state.groupContext.epoch;
    const keys = Object.fromEntries(
      [...this.historyKeysOf(channelId)]
        .filter(([epoch]) => epoch < current)
        .map(([epoch, key]) => [String(epoch), bytesToBase64(key)]),
    );
    const socket = await this.connect(channelId);
    const clientId = `history${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
    socket.socket.send(
      JSON.stringify({ type: "send", clientId, payload: await this.seal(channelId, { kind: "history-keys", keys }) }),
    );
    await socket.next("ack", (frame) => frame.clientId === clientId);
    socket.close();
  }

  /** Reads a stored or relayed message: checks the sender device's signature and decrypts. */
  async read(message: MessageView): Promise<string> {
    const envelope = base64ToBytes(message.payload);
    if (!this.#replays.isFresh(message.senderDeviceId ?? "", envelope)) throw new Error("a replayed message");
    const epoch = envelopeEpoch(envelope);
    if (epoch === null) throw new Error("not an encrypted message");
    const historyKey =
      this.groups.get(message.channelId)?.historyKeys.get(epoch) ??
      this.restoredHistory.get(message.channelId)?.get(epoch);
    if (!historyKey) throw new Error(`no history key for epoch ${epoch}`);
    const sender = await this.directory(message.senderId);
    const device = sender?.devices.find((candidate) => candidate.deviceId === message.senderDeviceId);
    if (!device || !sender?.accountKey || !this.trust.check(message.senderId, sender.accountKey)) {
      throw new Error("the sender's device is not trusted");
    }
    const plaintext = await openMessage(this.cipherSuite, {
      channelId: message.channelId,
      historyKey,
      senderDeviceId: message.senderDeviceId!,
      senderSignaturePublicKey: device.signaturePublicKey,
      envelope,
    });
    this.#replays.record(message.senderDeviceId!, envelope);
    const content = decodeContent(plaintext);
    if (content.kind === "text") return content.text;
    // History keys shared with newcomers: keep the ones this device lacks.
    const restored = this.restoredHistory.get(message.channelId) ?? new Map<bigint, Uint8Array>();
    for (const [epoch, key] of Object.entries(content.keys)) {
      if (!this.historyKeysOf(message.channelId).has(BigInt(epoch))) restored.set(BigInt(epoch), base64ToBytes(key));
    }
    this.restoredHistory.set(message.channelId, restored);
    return `(history keys for ${Object.keys(content.keys).length} epochs)`;
  }

  async #open(channelId: string): Promise<{ socket: WebSocket; frames: ServerFrame[] }> {
    const { ticket } = await this.api<{ ticket: string }>("POST", `/api/channels/${channelId}/socket-ticket`);
    const socket = new WebSocket(
      `${this.server.url.replace("http", "ws")}/api/channels/${channelId}/socket?ticket=${ticket}`,
    );
    const frames: ServerFrame[] = [];
    socket.on("message", (data) => frames.push(JSON.parse(String(data)) as ServerFrame));
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    return { socket, frames };
  }

  /** A channel socket that collects frames, with a wait for the next frame matching a test. */
  async connect(channelId: string) {
    const { socket, frames } = await this.#open(channelId);
    const next = async <T extends ServerFrame["type"]>(
      type: T,
      test: (frame: Extract<ServerFrame, { type: T }>) => boolean = () => true,
    ) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const index = frames.findIndex(
          (frame) => frame.type === type && test(frame as Extract<ServerFrame, { type: T }>),
        );
        if (index >= 0) return frames.splice(index, 1)[0] as Extract<ServerFrame, { type: T }>;
        if (Date.now() > deadline) throw new Error(`no ${type} frame; got ${JSON.stringify(frames).slice(0, 500)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await next("welcome");
    return { socket, frames, next, close: () => socket.close() };
  }

  /** The Welcome is sealed to one of this device's KeyPackages; try each (a real client looks up its reference). */
  private async joinWith(welcome: Parameters<typeof joinGroup>[0]["welcome"]): Promise<ClientState> {
    let lastError: unknown;
    for (const pair of this.#keyPackages) {
      try {
        return await joinGroup({
          context: this.context,
          welcome,
          keyPackage: pair.publicPackage,
          privateKeys: pair.privatePackage,
        });
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  /**
   * Submits a commit built on `epoch` with the new epoch's GroupInfo, and remembers the new
   * state once the room accepted it. Returns the answer (409 stale_epoch when another won).
   */
  private async submitCommit(
    channelId: string,
    epoch: bigint | number,
    commit: MlsMessage,
    newState: ClientState,
    memberDeviceIds: string[],
    welcome?: { message: MlsMessage; deviceIds: string[] },
  ) {
    const response = await call(this.server, `/api/channels/${channelId}/mls/commits`, {
      method: "POST",
      token: this.account.token,
      body: {
        epoch: Number(epoch),
        commit: encodeMessage(commit),
        groupInfo: await this.groupInfoOf(newState),
        memberDeviceIds,
        ...(welcome ? { welcome: encodeMessage(welcome.message), welcomeDeviceIds: welcome.deviceIds } : {}),
      },
    });
    if (response.status === 201) await this.remember(channelId, newState);
    return response;
  }

  private async groupInfoOf(state: ClientState): Promise<string> {
    const groupInfo = await createGroupInfoWithExternalPubAndRatchetTree(state, [], this.cipherSuite);
    return encodeMessage({ version: protocolVersions.mls10, wireformat: wireformats.mls_group_info, groupInfo });
  }

  /** Each member device's leaf index, by device id (from the credentials in the tree). */
  private leavesOf(state: ClientState): Map<string, number> {
    const leaves = new Map<string, number>();
    state.ratchetTree.forEach((node, index) => {
      if (node?.nodeType !== 1 || !("leaf" in node)) return;
      const identity = (node.leaf.credential as { identity?: Uint8Array }).identity;
      if (identity) leaves.set(new TextDecoder().decode(identity).split("/")[1]!, index / 2);
    });
    return leaves;
  }

  private async remember(channelId: string, state: ClientState): Promise<void> {
    const group = this.groups.get(channelId) ?? { state, historyKeys: new Map() };
    group.state = state;
    group.historyKeys.set(state.groupContext.epoch, await historyKeyOf(state, this.cipherSuite));
    this.groups.set(channelId, group);
  }
}
