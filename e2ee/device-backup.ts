/**
 * A device's side of the key backup: what goes into it (the account key, whom the
 * person trusts, every history key the device holds), storing it sealed under the
 * recovery key, and opening it on a new device with the recovery key or the passphrase.
 */
import { base64ToBytes, bytesToBase64 } from "../protocol/base64.ts";
import type { KeyBackupView } from "../protocol/keys.ts";
import type { E2eeDevice } from "./device.ts";
import { failureOf, rawPublicKey, type DeviceTransport } from "./device-keys.ts";
import { openBackup, sealBackup, unwrapWithPassphrase, type BackupContent } from "./key-backup.ts";

export async function backupContentOf(device: E2eeDevice): Promise<BackupContent> {
  const historyKeys: BackupContent["historyKeys"] = {};
  const channels = new Set([...device.restoredHistory.keys(), ...device.groups.keys()]);
  for (const channelId of channels) {
    historyKeys[channelId] = Object.fromEntries(
      [...device.historyKeysOf(channelId)].map(([epoch, key]) => [String(epoch), bytesToBase64(key)]),
    );
  }
  return {
    accountKey: {
      privateKey: bytesToBase64(
        new Uint8Array((await crypto.subtle.exportKey("pkcs8", device.accountKeys.privateKey)) as ArrayBuffer),
      ),
      publicKey: bytesToBase64(await rawPublicKey(device.accountKeys)),
    },
    trust: Object.fromEntries(
      device.trust.entries().map(([userId, decision]) => [
        userId,
        {
          ...decision,
          accountKey: bytesToBase64(decision.accountKey),
          previousKeys: (decision.previousKeys ?? []).map(bytesToBase64),
        },
      ]),
    ),
    historyKeys,
  };
}

/** The account's backup as stored, or null when it has none. */
export async function fetchBackup(transport: DeviceTransport): Promise<KeyBackupView | null> {
  try {
    return await transport.request<KeyBackupView>("GET", "/api/keys/backup");
  } catch (error) {
    if (failureOf(error)?.status === 404) return null;
    throw error;
  }
}

/**
 * Seals the device's keys into the account's backup on top of `previousVersion` (0 for
 * the first); `passphraseWrap` is stored beside it (null: none). Returns the new version;
 * a backup changed meanwhile by another device throws (409 backup_changed).
 */
export async function storeBackup(
  transport: DeviceTransport,
  device: E2eeDevice,
  recoveryKey: Uint8Array,
  previousVersion: number,
  passphraseWrap: Uint8Array | null,
): Promise<number> {
  const answer = await transport.request<{ version: number }>("PUT", "/api/keys/backup", {
    previousVersion,
    backup: bytesToBase64(await sealBackup(recoveryKey, await backupContentOf(device))),
    passphraseWrap: passphraseWrap && bytesToBase64(passphraseWrap),
  });
  return answer.version;
}

/** Opens a stored backup with the recovery key, or with the passphrase that wraps it. Throws when neither fits. */
export async function unlockBackup(
  stored: KeyBackupView,
  secret: { recoveryKey: Uint8Array } | { passphrase: string },
): Promise<{ recoveryKey: Uint8Array; content: BackupContent }> {
  let recoveryKey: Uint8Array;
  if ("recoveryKey" in secret) recoveryKey = secret.recoveryKey;
  else if (stored.passphraseWrap) {
    recoveryKey = await unwrapWithPassphrase(base64ToBytes(stored.passphraseWrap), secret.passphrase);
  } else throw new Error("this backup has no passphrase: use the recovery key");
  return { recoveryKey, content: await openBackup(recoveryKey, base64ToBytes(stored.backup)) };
}

/** The account key pair a backup holds. */
export async function accountKeysFrom(content: BackupContent): Promise<CryptoKeyPair> {
  return {
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
}

/** Trust and every history key from a backup, into a device of the same account. */
export function restoreInto(device: E2eeDevice, content: BackupContent): void {
  for (const [userId, key] of Object.entries(content.trustedAccountKeys ?? {})) {
    device.trust.merge(userId, { accountKey: base64ToBytes(key), verified: false, decidedAt: 0 });
  }
  for (const [userId, decision] of Object.entries(content.trust ?? {})) {
    device.trust.merge(userId, {
      ...decision,
      accountKey: base64ToBytes(decision.accountKey),
      previousKeys: (decision.previousKeys ?? []).map(base64ToBytes),
    });
  }
  for (const [channelId, keys] of Object.entries(content.historyKeys)) device.keepHistoryKeys(channelId, keys);
}
