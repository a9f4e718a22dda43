/**
 * /api/keys/backup: the account's encrypted key backup (mounted by keys.ts, behind its
 * requireUser). A device rewrites it whenever it gets a new history key, with its session
 * alone, as long as it writes under the same recovery key (the key id, the client's hash
 * commitment to it) and passphrase wrap; a new recovery key or passphrase needs the
 * password, so a stolen access token cannot swap in a backup its holder can open.
 * Earlier versions are kept a while, listed and fetchable.
 */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { query, type QueryOutput } from "../../db/index.ts";
import {
  bytesToBase64,
  base64ToBytes,
  confirmSchema,
  KEY_BACKUP_BODY_MAX_BYTES,
  KEY_BACKUP_MAX_BYTES,
  storeKeyBackupSchema,
  type KeyBackupView,
} from "../../protocol/index.ts";
import { announceDeviceChange } from "../../rooms/index.ts";
import { audit } from "../audit.ts";
import type { AppEnv } from "../context.ts";
import { AppError, errorFields, notFound } from "../errors.ts";
import { confirmIdentity } from "../sign-in-checks.ts";
import { parseJson } from "../validation.ts";

/** Earlier versions kept: the newest ten, and each session's newest, each for thirty days. */
const BACKUP_RETENTION = { keepVersions: 10, keepDays: 30 };

/** The password (and two-factor code) a sensitive key change carries; both optional on the wire. */
export const keyChangeProofSchema = confirmSchema.partial();

/** A backup version as served: the stored view plus the key id it was written under (null before key ids). */
export type KeyBackupVersionView = KeyBackupView & { keyId: string | null };

const storeBackupSchema = storeKeyBackupSchema.extend({
  /** base64url of a hash of the recovery key: the same key, the same id. */
  keyId: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, "a key id is 22 to 64 base64url characters"),
  ...keyChangeProofSchema.shape,
});

const limitBackup = bodyLimit({
  maxSize: KEY_BACKUP_BODY_MAX_BYTES,
  onError: () => {
    throw new AppError(413, "body_too_large", `a key backup is limited to ${KEY_BACKUP_MAX_BYTES} bytes`);
  },
});

/**
 * Confirms the password (and the two-factor code when it is on) for a change a stolen
 * access token must not make; failures count toward the account's lockout.
 */
export async function confirmKeyChange(
  c: Context<AppEnv>,
  proof: { password?: string; totpCode?: string },
  what: string,
): Promise<void> {
  if (!proof.password) {
    throw new AppError(
      403,
      "password_required",
      `${what} needs your account password (and your two-factor code, when it is on): send password (and totpCode)`,
    );
  }
  await confirmIdentity(c, { password: proof.password, totpCode: proof.totpCode });
}

type KeyBackupRecord = NonNullable<QueryOutput<"keyBackupOf">>;

const backupView = (row: Omit<KeyBackupRecord, "userId">): KeyBackupVersionView => ({
  version: row.version,
  keyId: row.keyId,
  backup: bytesToBase64(row.backup),
  passphraseWrap: row.passphraseWrap && bytesToBase64(row.passphraseWrap),
  updatedAt: row.updatedAt.toISOString(),
});

const sameBytes = (a: Uint8Array | null, b: Uint8Array | null) =>
  a === null || b === null ? a === b : Buffer.from(a).equals(Buffer.from(b));

export const keyBackup = new Hono<AppEnv>()
  .get("/", async (c) => {
    const backup = await query(c.env.DATABASE, "keyBackupOf", { userId: c.get("userId") });
    if (!backup) throw notFound("a key backup");
    return c.json(backupView(backup));
  })
  .get("/versions", async (c) => {
    const userId = c.get("userId");
    const [latest, earlier] = await Promise.all([
      query(c.env.DATABASE, "keyBackupOf", { userId }),
      query(c.env.DATABASE, "keyBackupVersionsOf", { userId }),
    ]);
    const rows = [
      ...(latest ? [{ ...latest, isLatest: true }] : []),
      ...earlier.map((row) => ({ ...row, isLatest: false })),
    ];
    return c.json({
      versions: rows.map((row) => ({
        version: row.version,
        keyId: row.keyId,
        hasPassphrase: row.passphraseWrap !== null,
        updatedAt: row.updatedAt.toISOString(),
        isLatest: row.isLatest,
      })),
    });
  })
  .get("/versions/:version", async (c) => {
    const userId = c.get("userId");
    const version = Number(c.req.param("version"));
    if (!Number.isSafeInteger(version) || version < 1) throw notFound("that backup version");
    const latest = await query(c.env.DATABASE, "keyBackupOf", { userId });
    const row =
      latest?.version === version ? latest : await query(c.env.DATABASE, "keyBackupVersionOf", { userId, version });
    if (!row) throw notFound("that backup version");
    return c.json(backupView(row));
  })
  .put("/", limitBackup, async (c) => {
    const body = await parseJson(c, storeBackupSchema);
    const userId = c.get("userId");
    // A device left under a replaced account key (its person started over elsewhere) would write that key back.
    const devices = await query(c.env.DATABASE, "devicesOf", { userId });
    if (devices.find((device) => device.sessionId === c.get("sessionId"))?.isSignedByCurrentKey === false) {
      throw new AppError(
        409,
        "device_key_replaced",
        "this device is under an account key you replaced by starting over: reload to set it up again",
      );
    }
    const current = await query(c.env.DATABASE, "keyBackupOf", { userId });
    if ((current?.version ?? 0) !== body.previousVersion) return backupChanged(c, current?.version ?? 0);
    const passphraseWrap = body.passphraseWrap ? base64ToBytes(body.passphraseWrap) : null;
    // The routine rewrite: same recovery key, same passphrase wrap. A backup from before key
    // ids takes its first key id this way once (it carried no commitment to compare).
    const isRoutine =
      current !== null &&
      (current.keyId ?? body.keyId) === body.keyId &&
      sameBytes(current.passphraseWrap, passphraseWrap);
    if (!isRoutine) await confirmKeyChange(c, body, "a new recovery key or passphrase");
    const result = await query(c.env.DATABASE, "storeKeyBackup", {
      userId,
      previousVersion: body.previousVersion,
      backup: base64ToBytes(body.backup),
      passphraseWrap,
      keyId: body.keyId,
      writtenBy: c.get("sessionId"),
      retention: BACKUP_RETENTION,
    });
    if (!result.ok) return backupChanged(c, result.version);
    if (!isRoutine) {
      await audit(c, current ? "key_backup.replaced" : "key_backup.created", { details: { version: result.version } });
      // The person's other sessions hear it (their security page lists it; a browser keeping
      // the backup under the old key sees its key id is no longer the latest).
      await announceDeviceChange(c.env, userId);
    }
    return c.json({ version: result.version });
  });

/** 409 with the version now stored, so the device can fetch it, merge, and write on top. */
function backupChanged(c: Context<AppEnv>, version: number) {
  const message = `another device stored version ${version}: merge it, then retry`;
  return c.json({ error: errorFields(c, "backup_changed", message), version }, 409);
}
