/**
 * The account recovery code, derived from the recovery key: the person keeps one
 * secret. The key unlocks the backup on the device; the code derived from it (HKDF,
 * one way) is what the server stores a hash of and checks to reset a password. The
 * server never sees the key, and the code does not lead back to it.
 */

/** The server's readable-code alphabet: base32 without 0/o and 1/l. */
const CODE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
const CODE_GROUPS = 7;
const GROUP_LENGTH = 4;
/** Fixed, versioned: changing it would orphan every code already set. */
const CODE_INFO = "chatalot account recovery code v1";

/** The account recovery code of `recoveryKey`, in the server's format (seven groups of four, 140 bits). */
export async function accountRecoveryCode(recoveryKey: Uint8Array): Promise<string> {
  const material = await crypto.subtle.importKey("raw", recoveryKey as BufferSource, "HKDF", false, ["deriveBits"]);
  const length = CODE_GROUPS * GROUP_LENGTH;
  const bits = await crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode(CODE_INFO) },
    material,
    length * 8,
  );
  // 256 is a multiple of 32: each byte gives one character, uniformly.
  const characters = Array.from(new Uint8Array(bits), (byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]!);
  const groups: string[] = [];
  for (let index = 0; index < length; index += GROUP_LENGTH) {
    groups.push(characters.slice(index, index + GROUP_LENGTH).join(""));
  }
  return groups.join("-");
}
