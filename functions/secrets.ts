/**
 * Random codes handed to people (refresh tokens, recovery and backup codes, invite
 * codes) and how they are stored: each has at least 80 bits of entropy, so a plain
 * SHA-256 is enough to keep the stored form useless to a database thief.
 */
const BASE32 = "abcdefghijkmnpqrstuvwxyz23456789"; // no 0/o, 1/l: easy to read back

/** `groups` groups of 4 base32 characters (20 bits each), joined by '-'. */
export function readableCode(groups: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(groups * 4));
  const characters = Array.from(bytes, (byte) => BASE32[byte % BASE32.length]!);
  const parts: string[] = [];
  for (let index = 0; index < characters.length; index += 4) parts.push(characters.slice(index, index + 4).join(""));
  return parts.join("-");
}

/** 256 random bits, base64url: refresh tokens. */
export function opaqueToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The stored form of a code people type: SHA-256 of its canonical spelling (case, spaces and dashes ignored). */
export function hashCode(code: string): Promise<string> {
  return sha256Hex(code.trim().toLowerCase().replace(/[\s-]/g, ""));
}

/** The stored form of an opaque token: SHA-256 of it exactly. */
export function hashToken(token: string): Promise<string> {
  return sha256Hex(token);
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export const RECOVERY_CODE_GROUPS = 7; // 140 bits
export const BACKUP_CODE_GROUPS = 4; // 80 bits
export const INVITE_CODE_GROUPS = 5; // 100 bits
export const BACKUP_CODE_COUNT = 10;
