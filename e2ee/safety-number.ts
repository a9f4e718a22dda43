/**
 * Verification between two people: a safety number computed from both account
 * keys (so it does not change when either adds or loses a device), shown as twelve
 * groups of five digits and as a QR payload; and a short code for a group from
 * its MLS epoch authenticator. WebCrypto only.
 */

const VERSION = 1;
/** Iterations of SHA-512 per fingerprint: makes finding a key with a chosen number costly. */
const FINGERPRINT_ITERATIONS = 1024;
const DIGITS_PER_PARTY = 30;

export interface Party {
  userId: string;
  /** The account's Ed25519 public key, raw (32 bytes). */
  accountKey: Uint8Array;
}

const encoder = new TextEncoder();

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}

/** One party's fingerprint: iterated SHA-512 over the version, their key and their user id. */
async function fingerprint(party: Party): Promise<Uint8Array> {
  const id = encoder.encode(party.userId);
  let digest = concat(Uint8Array.of(0, VERSION), party.accountKey, id);
  for (let round = 0; round < FINGERPRINT_ITERATIONS; round++) {
    digest = new Uint8Array(await crypto.subtle.digest("SHA-512", concat(digest, party.accountKey)));
  }
  return digest.subarray(0, 32);
}

/** 30 digits from a fingerprint: six 5-byte groups, each modulo 100000. */
function digitsOf(print: Uint8Array): string {
  let digits = "";
  for (let group = 0; group < DIGITS_PER_PARTY / 5; group++) {
    let value = 0;
    for (let byte = 0; byte < 5; byte++) value = value * 256 + print[group * 5 + byte]!;
    digits += String(value % 100_000).padStart(5, "0");
  }
  return digits;
}

/** Both parties' fingerprints, in one order whoever computes them. */
async function orderedPrints(a: Party, b: Party): Promise<[Uint8Array, Uint8Array]> {
  const [first, second] = await Promise.all([fingerprint(a), fingerprint(b)]);
  return a.userId < b.userId ? [first, second] : [second, first];
}

/** Sixty digits in twelve groups of five, the same on both sides. */
export async function safetyNumber(a: Party, b: Party): Promise<string> {
  const [first, second] = await orderedPrints(a, b);
  const digits = digitsOf(first) + digitsOf(second);
  return digits.match(/\d{5}/g)!.join(" ");
}

/** What a QR code carries: the version and both fingerprints, base64url. */
export async function safetyQrPayload(a: Party, b: Party): Promise<string> {
  const [first, second] = await orderedPrints(a, b);
  const bytes = concat(Uint8Array.of(VERSION), first, second);
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** A group's short verification code: twelve digits from the epoch authenticator, in groups of four. */
export function epochCode(epochAuthenticator: Uint8Array): string {
  if (epochAuthenticator.byteLength < 8) throw new Error("an epoch authenticator has at least 8 bytes");
  const view = new DataView(epochAuthenticator.buffer, epochAuthenticator.byteOffset, 8);
  const digits = String(view.getBigUint64(0) % 10n ** 12n).padStart(12, "0");
  return digits.match(/\d{4}/g)!.join(" ");
}
