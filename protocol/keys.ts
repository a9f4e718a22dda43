/**
 * The key directory of end-to-end encryption: each account's signing key, each
 * device's MLS signature key with the account key's cross-signature, and the
 * devices' MLS KeyPackages. The server stores and hands these out; it never holds
 * a private key, and a client trusts a key only after checking the signatures itself.
 */
import { z } from "zod";
import { base64ByteLength } from "./base64.ts";

/** Ed25519: 32-byte public keys, 64-byte signatures. */
export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;
/** A KeyPackage with a basic credential is ~300 bytes; this leaves room for extensions. */
export const KEY_PACKAGE_MAX_BYTES = 2 * 1024;
export const KEY_PACKAGES_PER_UPLOAD_MAX = 100;
/** The request body of one upload at most (the full batch as base64 JSON). */
export const KEY_PACKAGE_UPLOAD_BODY_MAX_BYTES = 300 * 1024;
/** One-time KeyPackages a device may keep in stock: enough for a busy week offline. */
export const KEY_PACKAGES_PER_DEVICE_MAX = 200;

const base64Schema = z
  .string()
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64")
  .refine((value) => value.length % 4 === 0, "must be padded base64");

const bytesSchema = (bytes: number, what: string) =>
  base64Schema.refine((value) => base64ByteLength(value) === bytes, `${what} must be ${bytes} bytes`);

/** Opaque bytes (an MLS message, a KeyPackage) as padded base64, not empty, at most `maxBytes`. */
export const opaqueBytesSchema = (maxBytes: number, what: string) =>
  base64Schema
    .min(4, `${what} cannot be empty`)
    .refine((value) => base64ByteLength(value) <= maxBytes, `${what} is at most ${maxBytes} bytes`);

const keyPackageSchema = opaqueBytesSchema(KEY_PACKAGE_MAX_BYTES, "a KeyPackage");

export const accountKeySchema = z.strictObject({
  publicKey: bytesSchema(ED25519_PUBLIC_KEY_BYTES, "an Ed25519 public key"),
});

export const deviceKeySchema = z.strictObject({
  signaturePublicKey: bytesSchema(ED25519_PUBLIC_KEY_BYTES, "an Ed25519 public key"),
  crossSignature: bytesSchema(ED25519_SIGNATURE_BYTES, "an Ed25519 signature"),
});

export const uploadKeyPackagesSchema = z
  .strictObject({
    keyPackages: z.array(keyPackageSchema).max(KEY_PACKAGES_PER_UPLOAD_MAX).default([]),
    lastResort: keyPackageSchema.optional(),
  })
  .refine((body) => body.keyPackages.length > 0 || body.lastResort, "send at least one KeyPackage");

/** An account's encrypted key backup at most (history keys of many channels over years). */
export const KEY_BACKUP_MAX_BYTES = 4 * 1024 * 1024;
export const KEY_BACKUP_BODY_MAX_BYTES = Math.ceil((KEY_BACKUP_MAX_BYTES + 4096) / 3) * 4 + 1024;

export const storeKeyBackupSchema = z.strictObject({
  /** The version this backup replaces (0 for the first): a device that read an older one must merge first. */
  previousVersion: z.number().int().min(0),
  backup: opaqueBytesSchema(KEY_BACKUP_MAX_BYTES, "a backup"),
  passphraseWrap: opaqueBytesSchema(4096, "a passphrase wrap").nullable().default(null),
});

export interface KeyBackupView {
  version: number;
  backup: string;
  passphraseWrap: string | null;
  updatedAt: string;
}

export interface AccountKeyView {
  publicKey: string;
  createdAt: string;
  /** How many keys this account had before the current one: more than 0 means it changed. */
  replacedKeys: number;
}

export interface DeviceView {
  /** The device's id: the session it belongs to (messages name it as senderDeviceId). */
  deviceId: string;
  userId: string;
  signaturePublicKey: string;
  crossSignature: string;
  /** False when the device was vouched for by an account key that has since been replaced. */
  isSignedByCurrentKey: boolean;
  /** True once the device's session ended: it is no longer in any group and gets no KeyPackage claims. */
  isRevoked: boolean;
  /**
   * The day (UTC midnight) the device was registered and retired, shown only to people who
   * share a community or conversation with its owner (or the owner): to anyone else, null,
   * so the directory does not tell strangers when someone signs in and out.
   */
  createdAt: string | null;
  revokedAt: string | null;
}

export interface UserKeysView {
  accountKey: AccountKeyView | null;
  devices: DeviceView[];
}

export interface ClaimedKeyPackageView {
  deviceId: string;
  keyPackage: string;
  /** The device's last-resort KeyPackage: handed out again to others; replace it soon. */
  isLastResort: boolean;
}

export interface KeyPackageStockView {
  available: number;
  hasLastResort: boolean;
}
