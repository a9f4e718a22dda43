/**
 * Key backup and recovery. A random 256-bit recovery key, shown to the person once,
 * seals their backup (the account key, whom they trust, every history key they hold)
 * with AES-256-GCM; optionally a passphrase seals the recovery key itself through
 * Argon2id, so either unlocks the backup. The server stores both only as ciphertext.
 * A new device that opens the backup reads all the history its person was entitled to.
 *
 * Two keys come from the recovery key (HKDF): the content key seals the backup, and
 * the account-key key seals the account's private key into a box of its own, made once.
 * A browser keeps the content key as a non-extractable CryptoKey and the box as it is,
 * so it rewrites the backup on every new history key without holding the recovery key
 * or an exportable account key; only the recovery key (or passphrase) opens the box.
 */
import { argon2idAsync } from "@noble/hashes/argon2.js";
import { base64ToBytes, bytesToBase64 } from "../protocol/base64.ts";

/** Format 1: sealed directly under the recovery key, the account key inside in the clear (still opened). */
const LEGACY_FORMAT = 1;
/** Format 2: sealed under keys derived from the recovery key; the account key in a box. */
const FORMAT = 2;
/**
 * Argon2id parameters: 128 MiB and 2 passes, twice the memory (what hurts a GPU most) and
 * twice the work of the earlier 64 MiB and 2 passes. Measured in Node 22 with @noble/hashes
 * on this project's 2-core machine: 4.2 to 4.7 s (the earlier ones 2.0 to 2.2 s); Chromium
 * runs the same code. It runs once at set-up and once per unlock. Kept in each wrap.
 */
export const PASSPHRASE_PARAMS = { t: 2, m: 128 * 1024, p: 1 } as const;
/** A passphrase at least this long, and rated 4 of 4 (over 10^10 guesses) by zxcvbn. */
export const PASSPHRASE_MIN_LENGTH = 15;
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I: read aloud, typed back

/** What a backup holds; bytes as base64 so it serializes as JSON. */
export interface BackupContent {
  /**
   * The account signing key: raw public, and the private key (PKCS#8) sealed in a box
   * under the recovery key (`box`), or, in backups written before boxes, in the clear.
   */
  accountKey: { box?: string; privateKey?: string; publicKey: string };
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

/**
 * The id the server files a backup under: a hash commitment to the recovery key, so the
 * server can tell a routine rewrite from a new key without learning the key, and a
 * device can tell a version sealed under another key (it does not match) from a damaged one.
 */
export async function recoveryKeyId(recoveryKey: Uint8Array): Promise<string> {
  const label = new TextEncoder().encode("chatalot recovery key id v1");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", concat(label, recoveryKey)));
  return bytesToBase64(digest.subarray(0, 16)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The key that seals the backup's content, non-extractable: what a device keeps to rewrite it. */
export const backupContentKey = (recoveryKey: Uint8Array) => derivedKey(recoveryKey, "chatalot backup content v2");

/** The account's private key (PKCS#8) sealed under the recovery key: made once, copied into every rewrite. */
export async function sealAccountKeyBox(recoveryKey: Uint8Array, privateKeyPkcs8: Uint8Array): Promise<Uint8Array> {
  return seal(await derivedKey(recoveryKey, "chatalot account key box v2"), privateKeyPkcs8, "chatalot account key v2");
}

/** The account's private key (PKCS#8) out of its box; throws when the recovery key is another. */
export async function openAccountKeyBox(recoveryKey: Uint8Array, box: Uint8Array): Promise<Uint8Array> {
  return open(await derivedKey(recoveryKey, "chatalot account key box v2"), box, "chatalot account key v2");
}

export async function sealBackup(contentKey: CryptoKey, content: BackupContent): Promise<Uint8Array> {
  return seal(contentKey, new TextEncoder().encode(JSON.stringify(content)), "chatalot backup v2");
}

/**
 * The backup's content, opened with the recovery key (any format) or with a device's
 * content key (format 2); throws when the key is another or the backup was changed.
 */
export async function openBackup(key: Uint8Array | CryptoKey, sealed: Uint8Array): Promise<BackupContent> {
  let plaintext: Uint8Array;
  if (sealed[0] === LEGACY_FORMAT) {
    if (key instanceof CryptoKey) throw new Error("an old backup opens only with the recovery key itself");
    plaintext = await open(key, sealed, "chatalot backup v1");
  } else {
    plaintext = await open(key instanceof CryptoKey ? key : await backupContentKey(key), sealed, "chatalot backup v2");
  }
  return JSON.parse(new TextDecoder().decode(plaintext)) as BackupContent;
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

/**
 * Why a passphrase would not hold, in words, or null when it will: too short, the account
 * password (the server sees that one at every sign-in) or built on it, or easy to guess
 * by zxcvbn's estimate with the person's name and password as known words.
 */
export async function passphraseProblem(
  passphrase: string,
  known: { password: string; username: string },
): Promise<string | null> {
  const fold = (text: string) => text.normalize("NFKC").trim().toLowerCase();
  if ([...passphrase].length < PASSPHRASE_MIN_LENGTH) {
    return `a passphrase needs at least ${PASSPHRASE_MIN_LENGTH} characters: several uncommon words work well`;
  }
  const password = fold(known.password);
  if (password && (fold(passphrase) === password || (password.length >= 6 && fold(passphrase).includes(password)))) {
    return "choose a passphrase other than your account password: the server sees your password each time you sign in, so it must not unlock your messages";
  }
  const estimate = (await strengthEstimator()).check(passphrase, [known.password, known.username, "chatalot"]);
  if (estimate.score < 4) {
    const hint = estimate.feedback.warning ? ` (${warningWords(estimate.feedback.warning)})` : "";
    return `this passphrase is too easy to guess${hint}: add more words that do not belong together`;
  }
  return null;
}

/** zxcvbn with its common dictionaries and keyboard layouts, loaded once, on first use (its lists are large). */
let estimator: Promise<{ check(password: string, userInputs: string[]): Estimate }> | undefined;
interface Estimate {
  score: number;
  feedback: { warning: string | null };
}
function strengthEstimator() {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
    ]);
    return new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
  })();
  return estimator;
}

/** zxcvbn's warnings are keys (its translations are another package): the common ones, in words. */
function warningWords(key: string): string {
  const words: Record<string, string> = {
    straightRow: "it is a row of keys",
    keyPattern: "it is a keyboard pattern",
    simpleRepeat: "it repeats characters",
    extendedRepeat: "it repeats a pattern",
    sequences: "it is a sequence like abc or 123",
    recentYears: "it has a recent year",
    dates: "it has a date",
    topTen: "it is one of the most used passwords",
    topHundred: "it is a very common password",
    common: "it is a common password",
    similarToCommon: "it is close to a common password",
    wordByItself: "a single word is easy to guess",
    namesByThemselves: "names alone are easy to guess",
    commonNames: "it is made of common names",
    userInputs: "it is close to your name or password",
    pwned: "it appeared in a data breach",
  };
  return words[key] ?? "it follows a common pattern";
}

async function derivedKey(recoveryKey: Uint8Array, info: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", new Uint8Array(recoveryKey), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode(info) },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

const concat = (a: Uint8Array, b: Uint8Array) => {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
};

const aesKeyOf = async (key: Uint8Array | CryptoKey, usage: "encrypt" | "decrypt") =>
  key instanceof CryptoKey ? key : crypto.subtle.importKey("raw", new Uint8Array(key), "AES-GCM", false, [usage]);

async function seal(key: Uint8Array | CryptoKey, plaintext: Uint8Array, label: string): Promise<Uint8Array> {
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: nonce, additionalData: new TextEncoder().encode(label) },
      await aesKeyOf(key, "encrypt"),
      new Uint8Array(plaintext),
    ),
  );
  const sealed = new Uint8Array(1 + 12 + ciphertext.length);
  // A raw key is the legacy passphrase wrap's and format 1's; derived keys are format 2's.
  sealed[0] = key instanceof CryptoKey ? FORMAT : LEGACY_FORMAT;
  sealed.set(nonce, 1);
  sealed.set(ciphertext, 13);
  return sealed;
}

async function open(key: Uint8Array | CryptoKey, sealed: Uint8Array, label: string): Promise<Uint8Array> {
  if (sealed[0] !== LEGACY_FORMAT && sealed[0] !== FORMAT) throw new Error("unknown backup format");
  return new Uint8Array(
    await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: sealed.slice(1, 13), additionalData: new TextEncoder().encode(label) },
      await aesKeyOf(key, "decrypt"),
      sealed.slice(13),
    ),
  );
}
