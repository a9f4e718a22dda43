/** Throwaway Ed25519 signing keys for a test run, as the PEM files generate-keys.sh writes. */
import { generateKeyPairSync } from "node:crypto";

export function testKeys(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

export const TEST_TOTP_KEY = "0123456789abcdef".repeat(4);
