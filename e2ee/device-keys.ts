/**
 * An end-to-end encrypting device's keys and state (`DeviceKeys`): the account key,
 * the device's MLS keys and KeyPackages, its groups' states and history keys, whom it
 * trusts, in and out as a `DeviceSnapshot` (structured-clone friendly: the browser
 * keeps it in IndexedDB); and its part of the key directory. The server is reached
 * through a `DeviceTransport`, so the same code runs in the browser and in Node.
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
import { decodeMlsMessage, decodeState, encodeMlsMessage, encodeState } from "./mls-codec.ts";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

/** JSON to the API as this device's session; a non-2xx answer throws an error with `status` and `code`. */
export interface DeviceTransport {
  request<T>(method: Method, path: string, body?: unknown): Promise<T>;
}

/**
 * The status and error code of a request the server answered and refused; null for
 * any other error, no answer at all included (a transport may report that as status 0).
 */
export function failureOf(error: unknown): { status: number; code: string } | null {
  const candidate = error as { status?: unknown; code?: unknown } | null;
  return typeof candidate?.status === "number" && candidate.status > 0 && typeof candidate.code === "string"
    ? { status: candidate.status, code: candidate.code }
    : null;
}

/** A request that failed on the way (refused, or never answered), rather than a cryptographic or local error. */
export function isRequestError(error: unknown): boolean {
  return typeof (error as { status?: unknown } | null)?.status === "number" || error instanceof TypeError;
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
}

export type DeviceClass<D> = new (
  transport: DeviceTransport,
  cipherSuite: CiphersuiteImpl,
  identity: DeviceIdentity,
  accountKeys: CryptoKeyPair,
) => D;

/**
 * What a device is and keeps: its identity and account key, KeyPackages, groups'
 * states and history keys, whom it trusts; set up (registered with the key directory)
 * or brought back from a snapshot. The steps with groups and messages build on it.
 */
export class DeviceKeys {
  readonly trust = new AccountKeyTrust();
  readonly context: MlsContext;
  readonly groups = new Map<string, DeviceGroup>();
  readonly restoredHistory = new Map<string, Map<bigint, Uint8Array>>();
  readonly submitted = new Map<string, Submitted>();
  /** Saves the device's state now: called before each step sent to the delivery service (the browser sets it). */
  checkpoint: () => Promise<void> = async () => undefined;
  protected keyPackages: { publicPackage: KeyPackage; privatePackage: PrivateKeyPackage }[] = [];

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

  /**
   * A new device: publishes the account key (the first device of an account; the same
   * key again is a no-op), cross-signs this session as a device, uploads KeyPackages.
   */
  static async register<D extends DeviceKeys>(
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
  static fromSnapshot<D extends DeviceKeys>(
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
    for (const [userId, seen] of snapshot.trustChanged ?? []) this.trust.noteChanged(userId, seen);
    for (const entry of snapshot.submitted ?? []) {
      this.submitted.set(entry.channelId, {
        epoch: entry.epoch,
        commit: entry.commit,
        state: decodeState(entry.state),
      });
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
      trustChanged: this.trust.changedEntries(),
      submitted: [...this.submitted].map(([channelId, entry]) => ({
        channelId,
        epoch: entry.epoch,
        commit: entry.commit,
        state: encodeState(entry.state),
      })),
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

  /** Every history key this device holds for the channel, by epoch. */
  historyKeysOf(channelId: string): Map<bigint, Uint8Array> {
    return new Map([
      ...(this.restoredHistory.get(channelId) ?? []),
      ...(this.groups.get(channelId)?.historyKeys ?? []),
    ]);
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
