/**
 * An end-to-end encrypting device's keys (`DeviceKeys`): the account key, the
 * device's MLS keys and KeyPackages, whom it trusts, and its view of the key
 * directory; and what the whole device keeps (`DeviceSnapshot`, structured-clone
 * friendly: the browser keeps it in IndexedDB). The server is reached through a
 * `DeviceTransport`, so the same code runs in the browser and in Node.
 */
import {
  protocolVersions,
  wireformats,
  type CiphersuiteImpl,
  type ClientState,
  type KeyPackage,
  type MlsContext,
  type PrivateKeyPackage,
} from "ts-mls";
import { base64ToBytes, bytesToBase64 } from "../protocol/base64.ts";
import { failureOf, type DeviceTransport } from "./transport.ts";
import type { ChannelFacts } from "./channel-policy.ts";
import type { SenderChainSnapshot } from "./sender-chain.ts";
import type { UserKeysView } from "../protocol/keys.ts";
import { deviceCertificateMessage } from "../protocol/device-certificate.ts";
import {
  AccountKeyTrust,
  directoryAuthService,
  equalBytes,
  newDeviceIdentity,
  newKeyPackage,
  type DeviceIdentity,
  type DirectoryEntry,
  type TrustDecision,
} from "./mls-device.ts";
import { decodeMlsMessage, encodeMlsMessage } from "./mls-codec.ts";

export { failureOf, isRequestError, type DeviceTransport, type Method } from "./transport.ts";

/** Everything a device keeps; Uint8Arrays, strings and CryptoKeys only. */
export interface DeviceSnapshot {
  userId: string;
  deviceId: string;
  signatureKeyPair: DeviceIdentity["signatureKeyPair"];
  accountKeys: CryptoKeyPair;
  keyPackages: { publicPackage: Uint8Array; privatePackage: PrivateKeyPackage }[];
  groups: {
    channelId: string;
    state: Uint8Array;
    historyKeys: [string, Uint8Array][];
    /** The people in the group at each epoch this device was in (whom a history share may reach). */
    rosters?: [string, string[]][];
    /** The group's generation (how many times it was founded again); missing: 0. */
    generation?: number;
  }[];
  /** What the device knows of each channel from first sight (a conversation's people, pinned). */
  facts?: [string, ChannelFacts][];
  /** Where this device's numbering of what it sends stands, per channel. */
  senderChains?: SenderChainSnapshot;
  /** History keys from the backup (or proven), for epochs this device was not in. */
  restoredHistory: { channelId: string; keys: [string, Uint8Array][] }[];
  /** History keys members shared, not proven yet: candidates per epoch. */
  offeredHistory?: { channelId: string; keys: [string, Uint8Array[]][] }[];
  trusted: [string, TrustDecision | Uint8Array][];
  /** Account keys seen changed and not accepted yet. */
  trustChanged?: [string, Uint8Array][];
  /** Steps sent to the delivery service whose outcome may not have been saved (see `Submitted`). */
  submitted?: { channelId: string; epoch: number; commit: string | null; state: Uint8Array }[];
}

/**
 * A group step this device sent to the delivery service, kept (with a checkpoint)
 * before sending: if the page goes away before the answer is saved, the device
 * finds its own commit in the log on its return and takes the state it built,
 * instead of trying to process its own commit (which MLS cannot) and being stuck.
 * `commit` is null for a group this device started.
 */
export interface Submitted {
  epoch: number;
  commit: string | null;
  state: ClientState;
}

/** A channel group this device is in. */
export interface DeviceGroup {
  state: ClientState;
  /** History keys by epoch: what this device may read. */
  historyKeys: Map<bigint, Uint8Array>;
  /** The people in the group at each epoch this device was in. */
  rosters: Map<bigint, string[]>;
  /**
   * How many times the channel's group was founded again before this one: epochs restart at
   * 0 with each, so a generation's history keys are kept apart (`HistoryKeys.archive`).
   */
  generation: number;
}

/**
 * What a device is: its identity and account key, its KeyPackages, whom it trusts,
 * and its view of the key directory. The groups (`DeviceGroups`) and messages
 * (`E2eeDevice`) are parts beside it that use it; none inherits from another.
 */
export class DeviceKeys {
  readonly trust = new AccountKeyTrust();
  readonly context: MlsContext;
  #keyPackages: { publicPackage: KeyPackage; privatePackage: PrivateKeyPackage }[] = [];

  readonly transport: DeviceTransport;
  readonly cipherSuite: CiphersuiteImpl;
  readonly identity: DeviceIdentity;
  readonly accountKeys: CryptoKeyPair;
  constructor(
    transport: DeviceTransport,
    cipherSuite: CiphersuiteImpl,
    identity: DeviceIdentity,
    accountKeys: CryptoKeyPair,
  ) {
    this.transport = transport;
    this.cipherSuite = cipherSuite;
    this.identity = identity;
    this.accountKeys = accountKeys;
    this.context = { cipherSuite, authService: directoryAuthService((userId) => this.directory(userId), this.trust) };
  }

  get userId(): string {
    return this.identity.userId;
  }

  get deviceId(): string {
    return this.identity.deviceId;
  }

  /** A new identity for a new device (under `accountKeys`, or a new account key). */
  static async create(
    transport: DeviceTransport,
    cipherSuite: CiphersuiteImpl,
    ids: { userId: string; deviceId: string },
    accountKeys?: CryptoKeyPair,
  ): Promise<DeviceKeys> {
    const keys =
      accountKeys ??
      ((await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair);
    const identity = await newDeviceIdentity(cipherSuite, ids.userId, ids.deviceId);
    return new DeviceKeys(transport, cipherSuite, identity, keys);
  }

  /**
   * Registers with the key directory: publishes the account key (the first device of an
   * account; the same key again is a no-op), cross-signs this session as a device,
   * uploads KeyPackages.
   */
  async publish(keyPackages: number): Promise<void> {
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

  load(snapshot: DeviceSnapshot): void {
    this.#keyPackages = snapshot.keyPackages.map((pair) => {
      const message = decodeMlsMessage(pair.publicPackage);
      if (message.wireformat !== wireformats.mls_key_package) throw new Error("not a KeyPackage");
      return { publicPackage: message.keyPackage, privatePackage: pair.privatePackage };
    });
    for (const [userId, decision] of snapshot.trusted) {
      // Snapshots before verification kept the key alone.
      this.trust.merge(
        userId,
        decision instanceof Uint8Array ? { accountKey: decision, verified: false, decidedAt: 0 } : decision,
      );
    }
    for (const [userId, seen] of snapshot.trustChanged ?? []) this.trust.noteChanged(userId, seen);
  }

  /** Its part of the device's snapshot. */
  snapshot(): Pick<
    DeviceSnapshot,
    "userId" | "deviceId" | "signatureKeyPair" | "accountKeys" | "keyPackages" | "trusted" | "trustChanged"
  > {
    return {
      userId: this.userId,
      deviceId: this.deviceId,
      signatureKeyPair: this.identity.signatureKeyPair,
      accountKeys: this.accountKeys,
      keyPackages: this.#keyPackages.map((pair) => ({
        publicPackage: encodeMlsMessage({
          version: protocolVersions.mls10,
          wireformat: wireformats.mls_key_package,
          keyPackage: pair.publicPackage,
        }),
        privatePackage: pair.privatePackage,
      })),
      trusted: this.trust.entries(),
      trustChanged: this.trust.changedEntries(),
    };
  }

  /** This device's KeyPackages, to open a Welcome sealed to one of them. */
  keyPackages(): readonly { publicPackage: KeyPackage; privatePackage: PrivateKeyPackage }[] {
    return this.#keyPackages;
  }

  /**
   * Uploads `count` one-time KeyPackages and a fresh last-resort one (replacing the one
   * on the server), so that someone who claimed every one-time package cannot keep anyone
   * from adding this device. Every private part is kept: a Welcome may come to any of them.
   */
  async uploadKeyPackages(count: number): Promise<void> {
    const fresh = await Promise.all(
      Array.from({ length: count + 1 }, () => newKeyPackage(this.cipherSuite, this.identity)),
    );
    this.#keyPackages.push(...fresh);
    const encoded = fresh.map((pair) =>
      bytesToBase64(
        encodeMlsMessage({
          version: protocolVersions.mls10,
          wireformat: wireformats.mls_key_package,
          keyPackage: pair.publicPackage,
        }),
      ),
    );
    await this.transport.request("POST", "/api/keys/devices/current/key-packages", {
      keyPackages: encoded.slice(1),
      lastResort: encoded[0],
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

  /** Directory answers kept for the length of one group step (`withDirectoryCache`), by person. */
  #directoryCache: Map<string, Promise<DirectoryEntry | null>> | null = null;

  /**
   * Runs `work` with each person's directory entry read once: a step that checks every
   * device of a group (processing a commit, committing what is pending) asks once per
   * person, not once per device and check. Nothing is kept after it.
   */
  async withDirectoryCache<T>(work: () => Promise<T>): Promise<T> {
    if (this.#directoryCache) return work();
    this.#directoryCache = new Map();
    try {
      return await work();
    } finally {
      this.#directoryCache = null;
    }
  }

  /** The person's keys as the directory lists them, or null when this device may not see them. */
  directory(userId: string): Promise<DirectoryEntry | null> {
    const cache = this.#directoryCache;
    const cached = cache?.get(userId);
    if (cached) return cached;
    const read = this.#readDirectory(userId);
    cache?.set(userId, read);
    // A failed read is not kept: the next check asks again.
    read.catch(() => cache?.delete(userId));
    return read;
  }

  async #readDirectory(userId: string): Promise<DirectoryEntry | null> {
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
        isRevoked: device.isRevoked,
      })),
    };
  }
}

export async function rawPublicKey(keys: CryptoKeyPair): Promise<Uint8Array> {
  return new Uint8Array((await crypto.subtle.exportKey("raw", keys.publicKey)) as ArrayBuffer);
}
