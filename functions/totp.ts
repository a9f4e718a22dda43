/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30 s, as every authenticator app expects) via
 * otplib, with the secret encrypted at rest: AES-256-GCM under TOTP_ENCRYPTION_KEY,
 * stored as iv || ciphertext with the key's version beside it, so keys can rotate.
 */
import { generateSecret, generateURI, verify } from "otplib";
import type { Config } from "./config.ts";

const ISSUER = "Chatalot";
/** One step either side of now, for clocks that drift. */
const EPOCH_TOLERANCE_SECONDS = 30;
const IV_BYTES = 12;

export const newTotpSecret = (): string => generateSecret();

export const otpauthUri = (secret: string, username: string): string =>
  generateURI({ issuer: ISSUER, label: username, secret });

/** The time step of a valid code, or null. Replays are refused by the caller, per step. */
export async function verifyTotp(secret: string, code: string): Promise<number | null> {
  const result = await verify({ strategy: "totp", secret, token: code, epochTolerance: EPOCH_TOLERANCE_SECONDS });
  // The TOTP strategy's result carries the matched time step; HOTP's (same union) does not.
  return result.valid && "timeStep" in result ? result.timeStep : null;
}

export async function encryptTotpSecret(
  config: Config,
  secret: string,
): Promise<{ ciphertext: Uint8Array; keyVersion: number }> {
  const key = await importKey(config.TOTP_ENCRYPTION_KEY);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(secret)),
  );
  const ciphertext = new Uint8Array(IV_BYTES + sealed.length);
  ciphertext.set(iv);
  ciphertext.set(sealed, IV_BYTES);
  return { ciphertext, keyVersion: config.TOTP_ENCRYPTION_KEY_VERSION };
}

export async function decryptTotpSecret(config: Config, ciphertext: Uint8Array, keyVersion: number): Promise<string> {
  const hex =
    keyVersion === config.TOTP_ENCRYPTION_KEY_VERSION
      ? config.TOTP_ENCRYPTION_KEY
      : config.TOTP_ENCRYPTION_KEYS_RETIRED.get(keyVersion);
  if (!hex)
    throw new Error(`no TOTP encryption key with version ${keyVersion}: add it to TOTP_ENCRYPTION_KEYS_RETIRED`);
  const key = await importKey(hex);
  const bytes = new Uint8Array(ciphertext);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES) },
    key,
    bytes.subarray(IV_BYTES),
  );
  return new TextDecoder().decode(plain);
}

function importKey(hex: string): Promise<CryptoKey> {
  const bytes = Uint8Array.from(hex.match(/../g)!, (pair) => parseInt(pair, 16));
  return crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
}
