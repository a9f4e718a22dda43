/**
 * The checks shared by signing in, recovering an account and confirming a
 * sensitive change: password, second factor, and lockout bookkeeping.
 */
import type { Context } from "hono";
import { query, type UserRecord } from "../db/index.ts";
import { accountKey, addressKey, lockedOut, recordFailedSignIn, refuseIfLocked } from "./abuse.ts";
import { audit } from "./audit.ts";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.ts";
import { verifyPassword } from "./passwords.ts";
import { hashCode } from "./secrets.ts";
import { decryptTotpSecret, verifyTotp } from "./totp.ts";

/** Lockout keys for a sign-in attempt: by the name typed (exists or not) and by address. */
export const signInKeys = (c: Context<AppEnv>, username: string) => [accountKey(username.toLowerCase()), addressKey(c)];

/** Counts a failure and throws: 429 when it caused a lock, else the given error. */
export async function failSignIn(c: Context<AppEnv>, keys: string[], error: AppError, user: UserRecord | null, username: string): Promise<never> {
  const lock = await recordFailedSignIn(c, keys);
  await audit(c, "user.sign_in_failed", { actorId: null, targetUserId: user?.id ?? null, details: { username, reason: error.code } });
  if (lock) {
    if (user) await audit(c, "user.locked_out", { actorId: null, targetUserId: user.id, details: { until: lock } });
    throw lockedOut(lock);
  }
  throw error;
}

/**
 * Checks the second factor of a user with two-factor on: a TOTP code not used
 * before, or an unused backup code. Returns an error to fail with, or null.
 */
export async function secondFactorError(
  c: Context<AppEnv>,
  user: UserRecord,
  proof: { totpCode?: string; backupCode?: string },
): Promise<AppError | null> {
  if (!user.totpEnabled) return null;
  if (proof.totpCode) {
    const secret = await decryptTotpSecret(c.get("config"), user.totpSecret!, user.totpKeyVersion!);
    const step = await verifyTotp(secret, proof.totpCode);
    if (step !== null && (await query(c.env.DATABASE, "acceptTotpStep", { userId: user.id, step }))) return null;
    return new AppError(401, "invalid_two_factor_code", "that two-factor code is wrong or was already used");
  }
  if (proof.backupCode) {
    const used = await query(c.env.DATABASE, "useBackupCode", { userId: user.id, codeHash: await hashCode(proof.backupCode) });
    return used ? null : new AppError(401, "invalid_two_factor_code", "that backup code is wrong or was already used");
  }
  return new AppError(401, "two_factor_required", "enter the code from your authenticator app, or a backup code");
}

/**
 * For sensitive changes by a signed-in user: the password, and a current code when
 * two-factor is on (unless `requireSecondFactor` is false). Failures count toward
 * the account's lockout like failed sign-ins.
 */
export async function confirmIdentity(
  c: Context<AppEnv>,
  proof: { password: string; totpCode?: string; requireSecondFactor?: boolean },
): Promise<void> {
  const user = c.get("user");
  const keys = [accountKey(user.username.toLowerCase())];
  await refuseIfLocked(c, keys);
  if (!(await verifyPassword(c.env, proof.password, user.passwordHash))) {
    await failSignIn(c, keys, new AppError(403, "wrong_password", "the password is wrong"), user, user.username);
  }
  if (proof.requireSecondFactor === false) return;
  const error = await secondFactorError(c, user, { totpCode: proof.totpCode });
  if (error) await failSignIn(c, keys, new AppError(403, error.code, error.message), user, user.username);
}
