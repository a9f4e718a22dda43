/**
 * What this browser keeps for end-to-end encryption, in IndexedDB (structured clone,
 * so CryptoKeys and bytes go in as they are): per account, the account key and what
 * keeps the backup current; per device (session), its whole state with a version, so
 * tabs sharing the device notice each other's changes; and where each envelope was
 * first read, to refuse replays. Signing out can forget all of it.
 *
 * What cannot be exported, and why the rest can: the account's private key is stored
 * non-extractable once a backup holds it (before that it must stay exportable, to be
 * sealed into the backup's box), and the backup's content key always is; the recovery
 * key itself is never stored. Script running in the page can still use these keys while
 * it runs, but cannot carry them away. MLS secrets live in ts-mls's state as bytes.
 */
import { createStore, del, get, set } from "idb-keyval";
import type { BackupWriter, DeviceSnapshot, ReplayLog } from "../../../../e2ee/index.ts";

const store = createStore("chatalot-e2ee", "keys");
const envelopes = createStore("chatalot-e2ee-read", "envelopes");

export interface StoredAccount {
  accountKeys: CryptoKeyPair;
  /**
   * Set once recovery is set up on (or restored to) this browser: backups are kept current
   * with it. Browsers from before key ids kept the recovery key itself (upgraded at start).
   */
  recovery: BackupWriter | LegacyRecovery | null;
}

export interface LegacyRecovery {
  recoveryKey: Uint8Array;
  passphraseWrap: Uint8Array | null;
}

export interface StoredDevice {
  version: number;
  snapshot: DeviceSnapshot;
}

/** Devices (sessions) whose keys were forgotten: a step still running must not write them back. */
const forgotten = new Set<string>();

export const loadAccount = (userId: string) => get<StoredAccount>(`account:${userId}`, store);
/** Saves the account's keys, unless the device (session) saving them had its keys forgotten. */
export const saveAccount = async (userId: string, account: StoredAccount, deviceId: string) => {
  if (!forgotten.has(deviceId)) await set(`account:${userId}`, account, store);
};
export const loadDevice = (deviceId: string) => get<StoredDevice>(`device:${deviceId}`, store);
export const saveDevice = async (deviceId: string, device: StoredDevice) => {
  if (!forgotten.has(deviceId)) await set(`device:${deviceId}`, device, store);
};
export const forgetDevice = (deviceId: string) => del(`device:${deviceId}`, store);
/** Keeps a device's state apart (not deleted: the directory that says its key was replaced is the server's word). */
export async function setDeviceAside(deviceId: string): Promise<void> {
  const stored = await loadDevice(deviceId);
  if (stored) await set(`set-aside:${deviceId}`, stored, store);
  await forgetDevice(deviceId);
}

/** Whether this browser holds the account's key with no backup set up here: forgetting it may lose it for good. */
export async function holdsOnlyCopy(userId: string): Promise<boolean> {
  const account = await loadAccount(userId);
  return !!account && !account.recovery;
}

/**
 * Forgets the person's keys in this browser at sign-out: the account key, what keeps
 * the backup current, and the device's state. The next sign-in here starts from the
 * recovery key (or passphrase), like a new browser.
 */
export async function forgetBrowserKeys(userId: string, deviceId: string): Promise<void> {
  forgotten.add(deviceId);
  await Promise.all([del(`account:${userId}`, store), forgetDevice(deviceId), del(`set-aside:${deviceId}`, store)]);
}

/**
 * Where each envelope this browser opened was first read (sender device and nonce to
 * channel#seq): a server serving it again elsewhere is caught after a reload too.
 * One short entry per message read.
 */
export const readEnvelopes: ReplayLog = {
  get: (id) => get<string>(id, envelopes),
  set: (id, where) => set(id, where, envelopes),
};
