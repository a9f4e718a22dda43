/**
 * Cross-signing: the account key vouches for a device's MLS signature key by
 * signing this message. Its bytes are fixed here, for the browser, the server
 * (which checks the signature before listing a device) and Node tests alike.
 */
import { bytesToBase64 } from "./base64.ts";

const LABEL = "chatalot device certificate v1";

export function deviceCertificateMessage(userId: string, deviceId: string, signaturePublicKey: Uint8Array): Uint8Array {
  return new TextEncoder().encode(`${LABEL}\n${userId}\n${deviceId}\n${bytesToBase64(signaturePublicKey)}`);
}

/** Whether `signature` is the account key's Ed25519 signature vouching for this device. */
export async function isDeviceCertified(
  accountPublicKey: Uint8Array,
  signature: Uint8Array,
  device: { userId: string; deviceId: string; signaturePublicKey: Uint8Array },
): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey("raw", new Uint8Array(accountPublicKey), { name: "Ed25519" }, false, [
      "verify",
    ]);
    const message = deviceCertificateMessage(device.userId, device.deviceId, device.signaturePublicKey);
    return await crypto.subtle.verify({ name: "Ed25519" }, key, new Uint8Array(signature), new Uint8Array(message));
  } catch {
    return false; // not a valid Ed25519 key
  }
}
