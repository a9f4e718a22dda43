/**
 * A device's side of the key backup: what goes into it (the account key's box, whom the
 * person trusts, every history key the device holds), storing it sealed under the
 * recovery key's content key, and opening it on a new device with the recovery key or
 * the passphrase, the latest version first, then the earlier ones the server keeps.
 */
import { base64ToBytes, bytesToBase64 } from "../protocol/base64.ts";
import type { KeyBackupView } from "../protocol/keys.ts";
import type { E2eeDevice } from "./device.ts";
import { failureOf, rawPublicKey, type DeviceTransport } from "./device-keys.ts";
import {
  backupContentKey,
  openAccountKeyBox,
  openBackup,
  recoveryKeyId,
  sealAccountKeyBox,
  sealBackup,
  unwrapWithPassphrase,
  type BackupContent,
} from "./key-backup.ts";

/** A stored backup version as the server serves it: with the key id it was written under (null before key ids). */
export type StoredBackup = KeyBackupView & { keyId: string | null };

/** An entry of GET /api/keys/backup/versions, newest first. */
export interface BackupVersionEntry {
  version: number;
  keyId: string | null;
  hasPassphrase: boolean;
  updatedAt: string;
  isLatest: boolean;
}

/**
 * What a device keeps to write the backup without the recovery key: the key id, the
 * content key (a non-extractable CryptoKey), the account key's box and the passphrase
 * wrap, the last two copied as they are into each rewrite.
 */
export interface BackupWriter {
  keyId: string;
  contentKey: CryptoKey;
  accountKeyBox: Uint8Array;
  passphraseWrap: Uint8Array | null;
}

/** The password (and two-factor code) a new recovery key or passphrase needs; routine rewrites send none. */
export interface KeyChangeProof {
  password: string;
  totpCode?: string;
}

/**
 * A writer for a new recovery key: the account key is exported once into its box, so
 * `accountKeys` must still be extractable (a device that got it from a backup holds it
 * non-extractable: it keeps the backup's box instead, see `writerFromBackup`).
 */
export async function newBackupWriter(
  recoveryKey: Uint8Array,
  accountKeys: CryptoKeyPair,
  passphraseWrap: Uint8Array | null,
): Promise<BackupWriter> {
  if (!accountKeys.privateKey.extractable) {
    throw new Error("this device holds the account key locked: open the backup with your recovery key first");
  }
  const pkcs8 = new Uint8Array((await crypto.subtle.exportKey("pkcs8", accountKeys.privateKey)) as ArrayBuffer);
  return {
    keyId: await recoveryKeyId(recoveryKey),
    contentKey: await backupContentKey(recoveryKey),
    accountKeyBox: await sealAccountKeyBox(recoveryKey, pkcs8),
    passphraseWrap,
  };
}

/** A writer for the recovery key that opened `content` (a backup of any format). */
export async function writerFromBackup(
  recoveryKey: Uint8Array,
  content: BackupContent,
  passphraseWrap: Uint8Array | null,
): Promise<BackupWriter> {
  const box = content.accountKey.box
    ? base64ToBytes(content.accountKey.box)
    : await sealAccountKeyBox(recoveryKey, base64ToBytes(content.accountKey.privateKey!));
  return {
    keyId: await recoveryKeyId(recoveryKey),
    contentKey: await backupContentKey(recoveryKey),
    accountKeyBox: box,
    passphraseWrap,
  };
}

export async function backupContentOf(device: E2eeDevice, accountKeyBox: Uint8Array): Promise<BackupContent> {
  const historyKeys: BackupContent["historyKeys"] = {};
  const channels = new Set([...device.restoredHistory.keys(), ...device.groups.keys()]);
  for (const channelId of channels) {
    historyKeys[channelId] = Object.fromEntries(
      [...device.historyKeysOf(channelId)].map(([epoch, key]) => [String(epoch), bytesToBase64(key)]),
    );
  }
  return {
    accountKey: { box: bytesToBase64(accountKeyBox), publicKey: bytesToBase64(await rawPublicKey(device.accountKeys)) },
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
export async function fetchBackup(transport: DeviceTransport): Promise<StoredBackup | null> {
  try {
    return await transport.request<StoredBackup>("GET", "/api/keys/backup");
  } catch (error) {
    if (failureOf(error)?.status === 404) return null;
    throw error;
  }
}

/** The versions the server keeps, newest first: the latest and the earlier ones. */
export async function backupVersions(transport: DeviceTransport): Promise<BackupVersionEntry[]> {
  return (await transport.request<{ versions: BackupVersionEntry[] }>("GET", "/api/keys/backup/versions")).versions;
}

/**
 * Seals the device's keys into the account's backup on top of `previousVersion` (0 for
 * the first). A new recovery key or passphrase needs `proof`. Returns the new version;
 * a backup changed meanwhile by another device throws (409 backup_changed).
 */
export async function storeBackup(
  transport: DeviceTransport,
  device: E2eeDevice,
  writer: BackupWriter,
  previousVersion: number,
  proof?: KeyChangeProof,
): Promise<number> {
  const answer = await transport.request<{ version: number }>("PUT", "/api/keys/backup", {
    previousVersion,
    keyId: writer.keyId,
    backup: bytesToBase64(await sealBackup(writer.contentKey, await backupContentOf(device, writer.accountKeyBox))),
    passphraseWrap: writer.passphraseWrap && bytesToBase64(writer.passphraseWrap),
    ...proof,
  });
  return answer.version;
}

/**
 * Opens a stored backup with the recovery key, or with the passphrase that wraps it.
 * Throws when neither fits, or when the version was written under another recovery key
 * than the one it opened with (its key id does not match: a wrap someone else put there).
 */
export async function unlockBackup(
  stored: StoredBackup,
  secret: { recoveryKey: Uint8Array } | { passphrase: string },
): Promise<{ recoveryKey: Uint8Array; content: BackupContent }> {
  let recoveryKey: Uint8Array;
  if ("recoveryKey" in secret) recoveryKey = secret.recoveryKey;
  else if (stored.passphraseWrap) {
    recoveryKey = await unwrapWithPassphrase(base64ToBytes(stored.passphraseWrap), secret.passphrase);
  } else throw new Error("this backup has no passphrase: use the recovery key");
  if (stored.keyId && stored.keyId !== (await recoveryKeyId(recoveryKey))) {
    throw new Error("this backup version was sealed under another recovery key");
  }
  return { recoveryKey, content: await openBackup(recoveryKey, base64ToBytes(stored.backup)) };
}

/**
 * The newest version of the backup that opens with `secret` (and that `accepts`, e.g.
 * one holding the account key the directory lists): the latest, or else the earlier
 * versions newest first, for when the latest was damaged or written over by someone
 * holding a stolen session. Throws the latest's failure when none opens.
 */
export async function unlockNewestBackup(
  transport: DeviceTransport,
  secret: { recoveryKey: Uint8Array } | { passphrase: string },
  accepts: (content: BackupContent) => boolean = () => true,
): Promise<{ stored: StoredBackup; recoveryKey: Uint8Array; content: BackupContent } | null> {
  const latest = await fetchBackup(transport);
  const entries = await backupVersions(transport);
  if (!latest && entries.length === 0) return null;
  let firstFailure: unknown = null;
  // A passphrase costs seconds of Argon2id: each distinct wrap is unwrapped once.
  const unwrapped = new Map<string, Uint8Array | null>();
  for (const entry of entries) {
    if ("passphrase" in secret && !entry.hasPassphrase) continue;
    const stored =
      latest && entry.isLatest
        ? latest
        : await transport.request<StoredBackup>("GET", `/api/keys/backup/versions/${entry.version}`);
    let recoveryKey = "recoveryKey" in secret ? secret.recoveryKey : null;
    if ("passphrase" in secret && stored.passphraseWrap) {
      const wrap = stored.passphraseWrap;
      if (!unwrapped.has(wrap)) {
        const key = await unwrapWithPassphrase(base64ToBytes(wrap), secret.passphrase).catch((error: unknown) => {
          firstFailure ??= error;
          return null;
        });
        unwrapped.set(wrap, key);
      }
      recoveryKey = unwrapped.get(wrap)!;
    }
    if (!recoveryKey) continue;
    try {
      const unlocked = await unlockBackup(stored, { recoveryKey });
      if (accepts(unlocked.content)) return { stored, ...unlocked };
    } catch (error) {
      firstFailure ??= error;
    }
  }
  throw firstFailure ?? new Error("no version of your backup holds your current account key");
}

/** The account key pair a backup holds, the private key non-extractable: it never leaves this device again. */
export async function accountKeysFrom(content: BackupContent, recoveryKey: Uint8Array): Promise<CryptoKeyPair> {
  const pkcs8 = content.accountKey.box
    ? await openAccountKeyBox(recoveryKey, base64ToBytes(content.accountKey.box))
    : base64ToBytes(content.accountKey.privateKey!);
  return lockedAccountKeys(pkcs8, base64ToBytes(content.accountKey.publicKey));
}

/** An account key pair from its bytes, the private key non-extractable (public keys always export). */
export async function lockedAccountKeys(privateKeyPkcs8: Uint8Array, publicKey: Uint8Array): Promise<CryptoKeyPair> {
  return {
    privateKey: await crypto.subtle.importKey("pkcs8", new Uint8Array(privateKeyPkcs8), { name: "Ed25519" }, false, [
      "sign",
    ]),
    publicKey: await crypto.subtle.importKey("raw", new Uint8Array(publicKey), { name: "Ed25519" }, true, ["verify"]),
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
