/**
 * What this browser keeps for end-to-end encryption, in IndexedDB (structured clone,
 * so CryptoKeys and bytes go in as they are): per account, the account key and the
 * recovery key that seals the backup; per device (session), its whole state with a
 * version, so tabs sharing the device notice each other's changes; and where each
 * envelope was first read, to refuse replays.
 */
import { createStore, del, get, set } from "idb-keyval";
import type { DeviceSnapshot, ReplayLog } from "../../../../e2ee/index.ts";

const store = createStore("chatalot-e2ee", "keys");
const envelopes = createStore("chatalot-e2ee-read", "envelopes");

export interface StoredAccount {
  accountKeys: CryptoKeyPair;
  /** Set once recovery is set up on (or restored to) this browser: backups are kept current with it. */
  recovery: { recoveryKey: Uint8Array; passphraseWrap: Uint8Array | null } | null;
}

export interface StoredDevice {
  version: number;
  snapshot: DeviceSnapshot;
}

export const loadAccount = (userId: string) => get<StoredAccount>(`account:${userId}`, store);
export const saveAccount = (userId: string, account: StoredAccount) => set(`account:${userId}`, account, store);
export const loadDevice = (deviceId: string) => get<StoredDevice>(`device:${deviceId}`, store);
export const saveDevice = (deviceId: string, device: StoredDevice) => set(`device:${deviceId}`, device, store);
export const forgetDevice = (deviceId: string) => del(`device:${deviceId}`, store);
/** Keeps a device's state apart (not deleted: the directory that says its key was replaced is the server's word). */
export async function setDeviceAside(deviceId: string): Promise<void> {
  const stored = await loadDevice(deviceId);
  if (stored) await set(`set-aside:${deviceId}`, stored, store);
  await forgetDevice(deviceId);
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
