/**
 * Password hashing with scrypt (N = 2^17, r = 8, p = 1: OWASP's recommended
 * minimum, 128 MiB per hash). Stored as `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`
 * so the cost can be raised later without breaking existing hashes.
 */
import { scrypt, timingSafeEqual } from "node:crypto";
import { base64ToBytes, bytesToBase64 } from "../protocol/base64.ts";

const LOG2_N = 17;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

export async function scryptHash(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, LOG2_N, BLOCK_SIZE, PARALLELISM);
  return ["scrypt", LOG2_N, BLOCK_SIZE, PARALLELISM, bytesToBase64(salt), bytesToBase64(hash)].join("$");
}

export async function scryptVerify(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = base64ToBytes(hash);
  const actual = await derive(password, base64ToBytes(salt), Number(logN), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Spends the same time as a real verification, for sign-ins naming an unknown
 * user, so response time does not reveal which usernames exist.
 */
export async function scryptNothing(password: string): Promise<false> {
  await derive(password, new Uint8Array(SALT_BYTES), LOG2_N, BLOCK_SIZE, PARALLELISM);
  return false;
}

function derive(password: string, salt: Uint8Array, logN: number, r: number, p: number): Promise<Uint8Array> {
  const cost = 2 ** logN;
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize("NFC"),
      salt,
      KEY_BYTES,
      { N: cost, r, p, maxmem: 256 * cost * r },
      (error: Error | null, key: Buffer) => (error ? reject(error) : resolve(new Uint8Array(key))),
    ),
  );
}
