/**
 * /api/two-factor: TOTP set-up (a secret and otpauth:// URI), enabling it
 * with the password and a first valid code (which returns 10 single-use backup codes), disabling
 * it and regenerating backup codes (both need the password and a current code).
 */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import { confirmSchema, enableTotpSchema, type TotpSetupView } from "../../protocol/index.ts";
import { audit } from "../audit.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.ts";
import { limitBody, requireUser } from "../middleware.ts";
import { BACKUP_CODE_COUNT, BACKUP_CODE_GROUPS, hashCode, readableCode } from "../secrets.ts";
import { confirmIdentity } from "../sign-in-checks.ts";
import { decryptTotpSecret, encryptTotpSecret, newTotpSecret, otpauthUri, verifyTotp } from "../totp.ts";
import { parseJson } from "../validation.ts";

async function newBackupCodes(): Promise<{ codes: string[]; hashes: string[] }> {
  const codes = Array.from({ length: BACKUP_CODE_COUNT }, () => readableCode(BACKUP_CODE_GROUPS));
  return { codes, hashes: await Promise.all(codes.map(hashCode)) };
}

export const twoFactor = new Hono<AppEnv>()
  .use(requireUser)
  .post("/setup", limitBody, async (c) => {
    const user = c.get("user");
    if (user.totpEnabled)
      throw new AppError(409, "two_factor_already_on", "two-factor authentication is already on: disable it first");
    const secret = newTotpSecret();
    const { ciphertext, keyVersion } = await encryptTotpSecret(c.get("config"), secret);
    await query(c.env.DATABASE, "setPendingTotpSecret", { userId: user.id, secret: ciphertext, keyVersion });
    return c.json({ secret, otpauthUri: otpauthUri(secret, user.username) } satisfies TotpSetupView);
  })
  .post("/enable", limitBody, async (c) => {
    const { totpCode, password } = await parseJson(c, enableTotpSchema);
    const user = c.get("user");
    if (user.totpEnabled) throw new AppError(409, "two_factor_already_on", "two-factor authentication is already on");
    // Without this, whoever holds a stolen session could lock the owner out behind their own authenticator.
    await confirmIdentity(c, { password, requireSecondFactor: false });
    if (!user.totpSecret || user.totpKeyVersion === null)
      throw new AppError(409, "two_factor_not_set_up", "start the set-up first");
    const secret = await decryptTotpSecret(c.get("config"), user.totpSecret, user.totpKeyVersion);
    const step = await verifyTotp(secret, totpCode);
    if (step === null || !(await query(c.env.DATABASE, "acceptTotpStep", { userId: user.id, step }))) {
      throw new AppError(
        400,
        "invalid_two_factor_code",
        "that code is wrong: check the time on your device and try the next one",
      );
    }
    const { codes, hashes } = await newBackupCodes();
    await query(c.env.DATABASE, "enableTotp", { userId: user.id, backupCodeHashes: hashes });
    await audit(c, "totp.enabled");
    return c.json({ backupCodes: codes });
  })
  .post("/disable", limitBody, async (c) => {
    const proof = await parseJson(c, confirmSchema);
    if (!c.get("user").totpEnabled) throw new AppError(409, "two_factor_off", "two-factor authentication is not on");
    if (!proof.totpCode) throw new AppError(400, "two_factor_required", "enter a current two-factor code");
    await confirmIdentity(c, proof);
    await query(c.env.DATABASE, "disableTotp", { userId: c.get("userId") });
    await audit(c, "totp.disabled");
    return c.body(null, 204);
  })
  .post("/backup-codes", limitBody, async (c) => {
    const proof = await parseJson(c, confirmSchema);
    if (!c.get("user").totpEnabled) throw new AppError(409, "two_factor_off", "two-factor authentication is not on");
    if (!proof.totpCode) throw new AppError(400, "two_factor_required", "enter a current two-factor code");
    await confirmIdentity(c, proof);
    const { codes, hashes } = await newBackupCodes();
    await query(c.env.DATABASE, "replaceBackupCodes", { userId: c.get("userId"), backupCodeHashes: hashes });
    await audit(c, "totp.backup_codes_regenerated");
    return c.json({ backupCodes: codes });
  });
