/**
 * The checks shared by signing in, recovering an account and confirming a
 * sensitive change: password, second factor, and lockout bookkeeping.
 */
import type { Context } from "hono";
import { query, type UserRecord } from "../db/index.ts";
import { attemptKeys, beginAttempt, noteFailedSignIn, withPasswordCheck, type Attempt } from "./abuse.ts";
import { audit } from "./audit.ts";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.ts";
import { verifyPassword } from "./passwords.ts";
import { hashCode } from "./secrets.ts";
import { decryptTotpSecret, verifyTotp } from "./totp.ts";

/**
 * Starts a sign-in attempt, counted by the name typed (exists or not) with this address,
 * by address, and (unless `isKnownClient`: a device or address this account signed in
 * from before) toward the account's ceiling.
 */
export const beginSignIn = (c: Context<AppEnv>, username: string, isKnownClient: boolean): Promise<Attempt> =>
  beginAttempt(c, attemptKeys(c, username.toLowerCase(), { countsTowardAccount: !isKnownClient, isKnownClient }));

/** Starts a recovery attempt: by name with this address and by address, never by the name alone. */
export const beginRecovery = (c: Context<AppEnv>, username: string): Promise<Attempt> =>
  beginAttempt(c, attemptKeys(c, username.toLowerCase(), { countsTowardAccount: false, isKnownClient: false }));

/** Audits a failed attempt and throws: the lock if this attempt set one, else `error`. */
export async function failSignIn(
  c: Context<AppEnv>,
  attempt: Attempt,
  error: AppError,
  user: UserRecord | null,
): Promise<never> {
  // The typed name is kept only when it names an account: people type passwords into name fields.
  const details = { reason: error.code, ...(user ? { username: user.username } : {}) };
  await audit(c, "user.sign_in_failed", { actorId: null, targetUserId: user?.id ?? null, details });
  await noteFailedSignIn(c);
  return attempt.failed(error).catch(async (thrown: AppError) => {
    if (thrown.code === "locked_out" && user)
      await audit(c, "user.locked_out", { actorId: null, targetUserId: user.id });
    throw thrown;
  });
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
    const used = await query(c.env.DATABASE, "useBackupCode", {
      userId: user.id,
      codeHash: await hashCode(proof.backupCode),
    });
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
  // A signed-in session is a known client: its pair and address count, not the account's ceiling.
  // The gate first, so a 503 from it leaves no count behind.
  const { attempt, isRight } = await withPasswordCheck(c, true, async () => {
    const keys = attemptKeys(c, user.username.toLowerCase(), { countsTowardAccount: false, isKnownClient: true });
    const attempt = await beginAttempt(c, keys);
    return { attempt, isRight: await verifyPassword(c.env, proof.password, user.passwordHash) };
  });
  if (!isRight) {
    await failSignIn(c, attempt, new AppError(403, "wrong_password", "the password is wrong"), user);
  }
  if (proof.requireSecondFactor !== false) {
    const error = await secondFactorError(c, user, { totpCode: proof.totpCode });
    if (error) await failSignIn(c, attempt, new AppError(403, error.code, error.message), user);
  }
  await attempt.succeeded();
}
