/**
 * NIST SP 800-63B password rules: a minimum length (checked by the protocol schema),
 * a bounded maximum, no composition rules, and no password from the shipped list of
 * common passwords.
 */
import { AppError } from "./errors.ts";
import { COMMON_PASSWORDS } from "./generated/common-passwords.ts";

const common = new Set(COMMON_PASSWORDS);

export function refuseCommonPassword(password: string, username: string): void {
  const lowered = password.toLowerCase();
  if (common.has(lowered)) {
    throw new AppError(400, "password_too_common", "that password is on the list of common passwords: choose another");
  }
  if (lowered.includes(username.toLowerCase())) {
    throw new AppError(400, "password_contains_username", "the password must not contain the username");
  }
}

/** Names nobody may register, so no account can pass for the system or staff. */
const RESERVED_USERNAMES = new Set([
  "admin",
  "administrator",
  "root",
  "system",
  "chatalot",
  "support",
  "help",
  "moderator",
  "mod",
  "staff",
  "official",
  "security",
  "everyone",
  "here",
  "null",
  "undefined",
  "deleted",
  "api",
  "www",
]);

/** A reserved name, unless it is the configured bootstrap admin name. */
export function isReservedUsername(username: string, adminUsername: string): boolean {
  const lowered = username.toLowerCase();
  if (lowered === adminUsername.toLowerCase()) return false;
  return RESERVED_USERNAMES.has(lowered) || lowered.startsWith("deleted-");
}
