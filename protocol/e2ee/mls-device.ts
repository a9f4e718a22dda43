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
} from "ts-mls";
import { isDeviceCertified } from "./device-certificate.ts";

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

/** The user and device a credential names, or null when it is not one of ours. */
export function credentialOwner(credential: Credential): { userId: string; deviceId: string } | null {
  if (credential.credentialType !== defaultCredentialTypes.basic || !("identity" in credential)) return null;
  const match = /^([0-9a-f-]{36})\/([0-9a-f-]{36})$/.exec(new TextDecoder().decode(credential.identity));
  return match ? { userId: match[1]!, deviceId: match[2]! } : null;
}

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
  devices: { deviceId: string; signaturePublicKey: Uint8Array; crossSignature: Uint8Array }[];
}

/**
 * Trust on first use: the first account key seen for a person is remembered; a
 * different one later is not accepted silently but reported, until the person is
 * verified again (safety number) and `accept` records the new key.
 */
export class AccountKeyTrust {
  #trusted = new Map<string, Uint8Array>();
  readonly warnings: { userId: string; seen: Uint8Array; trusted: Uint8Array }[] = [];

  /** Whether `accountKey` is the key trusted for `userId` (remembering it if it is the first). */
  check(userId: string, accountKey: Uint8Array): boolean {
    const trusted = this.#trusted.get(userId);
    if (!trusted) {
      this.#trusted.set(userId, accountKey);
      return true;
    }
    if (equalBytes(trusted, accountKey)) return true;
    this.warnings.push({ userId, seen: accountKey, trusted });
    return false;
  }

  /** Every trusted key, for the backup. */
  entries(): [string, Uint8Array][] {
    return [...this.#trusted];
  }

  /** After the person was verified again (or from a backup): trust this key. */
  accept(userId: string, accountKey: Uint8Array): void {
    this.#trusted.set(userId, accountKey);
  }
}

/**
 * The application's MLS authentication service: a credential is valid when it
 * names a user and device, the directory lists that device with exactly this
 * signature key, cross-signed by the user's account key, and that account key is
 * the one trusted for the user.
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
      if (!entry?.accountKey || !trust.check(owner.userId, entry.accountKey)) return false;
      const device = entry.devices.find((candidate) => candidate.deviceId === owner.deviceId);
      if (!device || !equalBytes(device.signaturePublicKey, signaturePublicKey)) return false;
      return isDeviceCertified(entry.accountKey, device.crossSignature, {
        userId: owner.userId,
        deviceId: owner.deviceId,
        signaturePublicKey,
      });
    },
  };
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
