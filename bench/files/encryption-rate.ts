/**
 * Runs in Chromium (bench/files/browser-encryption.ts bundles it): how fast the web
 * app's attachment encryption (e2ee/attachment-crypto.ts, AES-256-GCM in 64 KiB
 * STREAM chunks through WebCrypto) seals and opens a file of random bytes.
 */
import { decryptAttachment, encryptAttachment, newAttachmentKey } from "../../e2ee/attachment-crypto.ts";

export interface EncryptionRate {
  mebibytes: number;
  encryptMiBPerSecond: number;
  decryptMiBPerSecond: number;
}

/** getRandomValues fills at most 64 KiB a call. */
const RANDOM_BYTES_MAX = 65_536;

export async function encryptionRate(mebibytes: number): Promise<EncryptionRate> {
  const plaintext = new Uint8Array(mebibytes * 2 ** 20);
  for (let offset = 0; offset < plaintext.byteLength; offset += RANDOM_BYTES_MAX) {
    crypto.getRandomValues(plaintext.subarray(offset, offset + RANDOM_BYTES_MAX));
  }
  const key = newAttachmentKey();
  // One small file first, so key import and the first calls' set-up are not timed.
  await decryptAttachment(key, await encryptAttachment(key, plaintext.subarray(0, 2 ** 20)));
  const started = performance.now();
  const sealed = await encryptAttachment(key, plaintext);
  const sealedAt = performance.now();
  const opened = await decryptAttachment(key, sealed);
  const openedAt = performance.now();
  if (opened.byteLength !== plaintext.byteLength) throw new Error("the file did not open whole");
  return {
    mebibytes,
    encryptMiBPerSecond: mebibytes / ((sealedAt - started) / 1000),
    decryptMiBPerSecond: mebibytes / ((openedAt - sealedAt) / 1000),
  };
}
