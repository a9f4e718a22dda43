/**
 * A device in MLS: its signature key pair (Ed25519, the ciphersuite's), its
 * credential `userId/deviceId`, its KeyPackages, and the authentication service
 * that decides whom a device accepts into a group. ts-mls' default service accepts
 * anyone; this one accepts a member only when the key directory lists its device
 * under the account key the viewer trusts, cross-signed by that key.
 */
import {
  defaultCapabilities,
  defaultCredentialTypes,
  defaultLifetime,
  generateKeyPackageWithKey,
  getCiphersuiteImpl,
  type AuthenticationService,
  type CiphersuiteImpl,
  type Credential,
  type KeyPackage,
  type PrivateKeyPackage,
  ValidationError,
} from "ts-mls";
import { isDeviceCertified } from "../protocol/device-certificate.ts";
import { credentialOwner } from "../protocol/mls-wire.ts";

export const CIPHERSUITE = "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519";

export function chatalotCiphersuite(): Promise<CiphersuiteImpl> {
  return getCiphersuiteImpl(CIPHERSUITE);
}

export interface DeviceIdentity {
  userId: string;
  deviceId: string;
  /** The device's MLS signature keys; the public half is what the key directory lists. */
  signatureKeyPair: { signKey: Uint8Array; publicKey: Uint8Array };
}

export async function newDeviceIdentity(
  cipherSuite: CiphersuiteImpl,
  userId: string,
  deviceId: string,
): Promise<DeviceIdentity> {
  return { userId, deviceId, signatureKeyPair: await cipherSuite.signature.keygen() };
}

export function deviceCredential(userId: string, deviceId: string): Credential {
  return { credentialType: defaultCredentialTypes.basic, identity: new TextEncoder().encode(`${userId}/${deviceId}`) };
}

/** The user and device a credential names: the delivery service reads credentials by the same rule. */
export { credentialOwner };

export async function newKeyPackage(
  cipherSuite: CiphersuiteImpl,
  device: DeviceIdentity,
): Promise<{ publicPackage: KeyPackage; privatePackage: PrivateKeyPackage }> {
  return generateKeyPackageWithKey({
    credential: deviceCredential(device.userId, device.deviceId),
    signatureKeyPair: device.signatureKeyPair,
    cipherSuite,
    capabilities: defaultCapabilities(),
    lifetime: defaultLifetime(),
  });
}

/** What the key directory says of one person, as GET /api/keys/users/:id answers (bytes decoded). */
export interface DirectoryEntry {
  accountKey: Uint8Array | null;
  /** Revoked devices too: their past commits and messages stay verifiable. */
  devices: {
    deviceId: string;
    signaturePublicKey: Uint8Array;
    crossSignature: Uint8Array;
    /** False once the person replaced the key that certified it (started over): no longer theirs to vouch for. */
    isSignedByCurrentKey: boolean;
    /** Signed out: it stays listed so what it sent stays verifiable, and leaves every group. */
    isRevoked: boolean;
  }[];
}

/** Whom a person trusts for another: the account key, and whether they compared safety numbers. */
export interface TrustDecision {
  accountKey: Uint8Array;
  verified: boolean;
  /** When it was decided (ms): of two devices' decisions, the later one stands. */
  decidedAt: number;
  /** Keys trusted before this one: devices they certified stay readable (what they sent before a change). */
  previousKeys?: Uint8Array[];
}

/**
 * - `unknown`: no key seen yet;
 * - `trusted`: the key first seen (trust on first use), not compared;
 * - `verified`: the person compared safety numbers and marked it;
 * - `changed`: the directory now lists another key, refused until accepted again.
 */
export type TrustStatus = "unknown" | "trusted" | "verified" | "changed";

/**
 * Trust on first use: the first account key seen for a person is remembered; a
 * different one later is not accepted silently but reported, until the person
 * accepts it (after comparing safety numbers, ideally). A person compared is
 * marked verified; the mark goes with that key, so a changed key clears it.
 */
export class AccountKeyTrust {
  #decisions = new Map<string, TrustDecision>();
  /** The refused key last seen per person, until a decision about it. */
  #changed = new Map<string, Uint8Array>();
  readonly warnings: { userId: string; seen: Uint8Array; trusted: Uint8Array }[] = [];

  /**
   * Whether `accountKey` is the key trusted for `userId` (remembering it if it is the
   * first). A first use is no decision of the person's: stamped 0, it never outweighs
   * a key another device of theirs trusted or accepted.
   */
  check(userId: string, accountKey: Uint8Array): boolean {
    const decision = this.#decisions.get(userId);
    if (!decision) {
      this.#decisions.set(userId, { accountKey, verified: false, decidedAt: 0 });
      return true;
    }
    if (equalBytes(decision.accountKey, accountKey)) return true;
    if (!this.#changed.has(userId)) this.warnings.push({ userId, seen: accountKey, trusted: decision.accountKey });
    this.#changed.set(userId, accountKey);
    return false;
  }

  statusOf(userId: string): TrustStatus {
    if (this.#changed.has(userId)) return "changed";
    const decision = this.#decisions.get(userId);
    if (!decision) return "unknown";
    return decision.verified ? "verified" : "trusted";
  }

  /** Every person's status, for the interface. */
  statuses(): Map<string, TrustStatus> {
    const ids = new Set([...this.#decisions.keys(), ...this.#changed.keys()]);
    return new Map([...ids].map((userId) => [userId, this.statusOf(userId)]));
  }

  /** Every decision, for the snapshot and the backup. */
  entries(): [string, TrustDecision][] {
    return [...this.#decisions];
  }

  /** The keys seen changed and not yet accepted, for the snapshot: the warning stays after a reload. */
  changedEntries(): [string, Uint8Array][] {
    return [...this.#changed];
  }

  /** A change seen before (from a snapshot), unless the key trusted now is that key. */
  noteChanged(userId: string, seen: Uint8Array): void {
    const decision = this.#decisions.get(userId);
    if (decision && !equalBytes(decision.accountKey, seen)) this.#changed.set(userId, seen);
  }

  /** The latest decision's time: a backup is due when it moves. */
  latestDecision(): number {
    return Math.max(0, ...[...this.#decisions.values()].map((decision) => decision.decidedAt));
  }

  /** The keys trusted for `userId`, now and before (each certified devices this person accepted). */
  keysOf(userId: string): Uint8Array[] {
    const decision = this.#decisions.get(userId);
    return decision ? [decision.accountKey, ...(decision.previousKeys ?? [])] : [];
  }

  /** Trust `accountKey` for `userId` from now on, verified or not; the key it replaces stays trusted for the past. */
  accept(userId: string, accountKey: Uint8Array, verified: boolean, now = Date.now()): void {
    const previousKeys = this.keysOf(userId).filter((key) => !equalBytes(key, accountKey));
    this.#decisions.set(userId, { accountKey, verified, decidedAt: now, previousKeys });
    this.#changed.delete(userId);
  }

  /**
   * A decision taken elsewhere (a snapshot, the backup, another device): the later one
   * stands. A first use elsewhere (stamped 0) never replaces what this device trusts;
   * when its key differs, the directory check reports the change here too.
   */
  merge(userId: string, decision: TrustDecision): void {
    const current = this.#decisions.get(userId);
    if (current && current.decidedAt >= decision.decidedAt) return;
    this.#decisions.set(userId, decision);
    const seen = this.#changed.get(userId);
    if (seen && equalBytes(seen, decision.accountKey)) this.#changed.delete(userId);
  }
}

/**
 * How far a listed device of `userId` can be believed: `trusted` when its
 * cross-signature verifies under an account key this viewer trusts (now, on first
 * use, or before a change it accepted); `changed` when the directory's key is not
 * the trusted one and nothing trusted certified the device; else `uncertified`.
 * A changed directory key is noted as a warning even when the device is trusted.
 * `currentKeyOnly`: only the key trusted now vouches (for adding devices: a replaced
 * key, lost or stolen perhaps, must not bring new devices in).
 */
export async function deviceStanding(
  trust: AccountKeyTrust,
  userId: string,
  entry: DirectoryEntry,
  device: DirectoryEntry["devices"][number],
  options: { currentKeyOnly?: boolean } = {},
): Promise<"trusted" | "changed" | "uncertified"> {
  const isListedKeyTrusted = entry.accountKey ? trust.check(userId, entry.accountKey) : true;
  const keys = trust.keysOf(userId);
  for (const key of options.currentKeyOnly ? keys.slice(0, 1) : keys) {
    const certified = await isDeviceCertified(key, device.crossSignature, {
      userId,
      deviceId: device.deviceId,
      signaturePublicKey: device.signaturePublicKey,
    });
    if (certified) return "trusted";
  }
  return isListedKeyTrusted ? "uncertified" : "changed";
}

/**
 * The application's MLS authentication service: a credential is valid when it
 * names a user and device, the directory lists that device with exactly this
 * signature key, cross-signed by an account key trusted for the user.
 */
export function directoryAuthService(
  lookup: (userId: string) => Promise<DirectoryEntry | null>,
  trust: AccountKeyTrust,
): AuthenticationService {
  return {
    async validateCredential(credential, signaturePublicKey) {
      const owner = credentialOwner(credential);
      if (!owner) return false;
      const entry = await lookup(owner.userId);
      const device = entry?.devices.find((candidate) => candidate.deviceId === owner.deviceId);
      if (!entry || !device || !equalBytes(device.signaturePublicKey, signaturePublicKey)) return false;
      return (await deviceStanding(trust, owner.userId, entry, device)) === "trusted";
    },
  };
}

/**
 * Whether ts-mls refused a step because this device's authentication service refused a
 * credential in it (a device of someone whose changed key this person has not accepted yet,
 * say): this device's own decision, which waits for its person, not a broken commit.
 */
export function isCredentialRefused(error: unknown): boolean {
  return error instanceof ValidationError && error.message === "Could not validate credential";
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
