/**
 * Key backup and recovery. A random 256-bit recovery key, shown to the person once,
 * seals their backup (the account key, whom they trust, every history key they hold)
 * with AES-256-GCM; optionally a passphrase seals the recovery key itself through
 * Argon2id, so either unlocks the backup. The server stores both only as ciphertext.
 * A new device that opens the backup reads all the history its person was entitled to.
 */
import { argon2idAsync } from "@noble/hashes/argon2.js";
import { base64ToBytes, bytesToBase64 } from "../protocol/base64.ts";

const VERSION = 1;
/** Argon2id parameters: 64 MiB and 2 passes (~1 s in Node, a few in a browser). Kept in each wrap. */
export const PASSPHRASE_PARAMS = { t: 2, m: 64 * 1024, p: 1 } as const;
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I: read aloud, typed back

/** What a backup holds; bytes as base64 so it serializes as JSON. */
export interface BackupContent {
  /** The account signing key, PKCS#8 and raw public. */
  accountKey: { privateKey: string; publicKey: string };
  /** Account keys trusted per user (trust on first use), from backups written before `trust`. */
  trustedAccountKeys?: Record<string, string>;
  /** Account keys trusted per user: on first use, accepted, or verified by safety number. */
  trust?: Record<string, { accountKey: string; verified: boolean; decidedAt: number; previousKeys?: string[] }>;
  /** History keys per channel, per epoch. */
  historyKeys: Record<string, Record<string, string>>;
}

export function newRecoveryKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

/** The recovery key as a person writes it down: 52 characters of base32 in groups of four. */
export function recoveryKeyText(key: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let text = "";
  for (const byte of key) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) text += ALPHABET[(value << (5 - bits)) & 31];
  return text.match(/.{1,4}/g)!.join("-");
}

/** The recovery key from what was typed (any case, spaces or dashes), or null when it is not one. */
export function parseRecoveryKey(text: string): Uint8Array | null {
  const clean = text.toUpperCase().replace(/[\s-]/g, "");
  if (clean.length !== 52 || [...clean].some((char) => !ALPHABET.includes(char))) return null;
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    value = (value << 5) | ALPHABET.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return new Uint8Array(bytes.slice(0, 32));
}

export async function sealBackup(recoveryKey: Uint8Array, content: BackupContent): Promise<Uint8Array> {
  return seal(recoveryKey, new TextEncoder().encode(JSON.stringify(content)), "chatalot backup v1");
}

/** The backup's content; throws when the key is wrong or the backup was changed. */
export async function openBackup(recoveryKey: Uint8Array, sealed: Uint8Array): Promise<BackupContent> {
  return JSON.parse(new TextDecoder().decode(await open(recoveryKey, sealed, "chatalot backup v1"))) as BackupContent;
}

/** The recovery key sealed under a passphrase: salt and Argon2id parameters travel with it. */
export async function wrapWithPassphrase(recoveryKey: Uint8Array, passphrase: string): Promise<Uint8Array> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const key = await argon2idAsync(passphrase.normalize("NFKC"), salt, { ...PASSPHRASE_PARAMS, dkLen: 32 });
  const header = new TextEncoder().encode(JSON.stringify({ salt: bytesToBase64(salt), ...PASSPHRASE_PARAMS }));
  const sealed = await seal(key, recoveryKey, "chatalot passphrase v1");
  const wrap = new Uint8Array(2 + header.length + sealed.length);
  new DataView(wrap.buffer).setUint16(0, header.length);
  wrap.set(header, 2);
  wrap.set(sealed, 2 + header.length);
  return wrap;
}

/** The recovery key from a passphrase wrap; throws when the passphrase is wrong. */
export async function unwrapWithPassphrase(wrap: Uint8Array, passphrase: string): Promise<Uint8Array> {
  const length = new DataView(wrap.buffer, wrap.byteOffset).getUint16(0);
  const header = JSON.parse(new TextDecoder().decode(wrap.subarray(2, 2 + length))) as {
    salt: string;
    t: number;
    m: number;
    p: number;
  };
  const key = await argon2idAsync(passphrase.normalize("NFKC"), base64ToBytes(header.salt), {
    t: header.t,
    m: header.m,
    p: header.p,
    dkLen: 32,
  });
  return open(key, wrap.subarray(2 + length), "chatalot passphrase v1");
}

async function seal(key: Uint8Array, plaintext: Uint8Array, label: string): Promise<Uint8Array> {
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const aesKey = await crypto.subtle.importKey("raw", new Uint8Array(key), "AES-GCM", false, ["encrypt"]);
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: nonce, additionalData: new TextEncoder().encode(label) },
      aesKey,
      new Uint8Array(plaintext),
    ),
  );
  const sealed = new Uint8Array(1 + 12 + ciphertext.length);
  sealed[0] = VERSION;
  sealed.set(nonce, 1);
  sealed.set(ciphertext, 13);
  return sealed;
}

async function open(key: Uint8Array, sealed: Uint8Array, label: string): Promise<Uint8Array> {
  if (sealed[0] !== VERSION) throw new Error("unknown backup format");
  const aesKey = await crypto.subtle.importKey("raw", new Uint8Array(key), "AES-GCM", false, ["decrypt"]);
  return new Uint8Array(
    await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: sealed.slice(1, 13), additionalData: new TextEncoder().encode(label) },
      aesKey,
      sealed.slice(13),
    ),
  );
}
