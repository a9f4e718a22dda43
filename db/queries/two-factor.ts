/** Two-factor authentication state: the encrypted TOTP secret, replay guard, backup codes. */
import { and, eq, isNull, or, lt, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { backupCodes, users } from "../schema.ts";

/** Stores a new secret awaiting its first code; two-factor stays off until then. */
export async function setPendingTotpSecret(
  db: Db,
  input: { userId: string; secret: Uint8Array; keyVersion: number },
): Promise<void> {
  await db
    .update(users)
    .set({ totpSecret: input.secret, totpKeyVersion: input.keyVersion, totpEnabled: false, totpLastStep: null })
    .where(eq(users.id, input.userId));
}

/**
 * Records `step` as used if it is newer than the last accepted one; false means the
 * code was already used (a replay) or is older.
 */
export async function acceptTotpStep(db: Db, input: { userId: string; step: number }): Promise<boolean> {
  const accepted = await db
    .update(users)
    .set({ totpLastStep: input.step })
    .where(and(eq(users.id, input.userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, input.step))))
    .returning({ id: users.id });
  return accepted.length > 0;
}

/** Turns two-factor on and replaces the backup codes, in one transaction. */
export async function enableTotp(db: Db, input: { userId: string; backupCodeHashes: string[] }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(users).set({ totpEnabled: true }).where(eq(users.id, input.userId));
    await replaceCodes(tx as unknown as Db, input.userId, input.backupCodeHashes);
  });
}

export async function replaceBackupCodes(db: Db, input: { userId: string; backupCodeHashes: string[] }): Promise<void> {
  await db.transaction((tx) => replaceCodes(tx as unknown as Db, input.userId, input.backupCodeHashes));
}

async function replaceCodes(db: Db, userId: string, hashes: string[]): Promise<void> {
  await db.delete(backupCodes).where(eq(backupCodes.userId, userId));
  if (hashes.length) await db.insert(backupCodes).values(hashes.map((codeHash) => ({ userId, codeHash })));
}

/** Turns two-factor off and forgets the secret and backup codes (also the admin reset). */
export async function disableTotp(db: Db, input: { userId: string }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ totpEnabled: false, totpSecret: null, totpKeyVersion: null, totpLastStep: null })
      .where(eq(users.id, input.userId));
    await tx.delete(backupCodes).where(eq(backupCodes.userId, input.userId));
  });
}

/** Uses a backup code once; false when it does not exist or was used. */
export async function useBackupCode(db: Db, input: { userId: string; codeHash: string }): Promise<boolean> {
  const used = await db
    .update(backupCodes)
    .set({ usedAt: sql`now()` })
    .where(
      and(eq(backupCodes.userId, input.userId), eq(backupCodes.codeHash, input.codeHash), isNull(backupCodes.usedAt)),
    )
    .returning({ id: backupCodes.id });
  return used.length > 0;
}

export async function unusedBackupCodeCount(db: Db, input: { userId: string }): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(backupCodes)
    .where(and(eq(backupCodes.userId, input.userId), isNull(backupCodes.usedAt)));
  return row?.count ?? 0;
}

/** Re-encrypts stored secrets under a new key (the key rotation script). */
export async function totpSecretsUnderKey(
  db: Db,
  input: { keyVersion: number; limit: number },
): Promise<{ id: string; totpSecret: Uint8Array }[]> {
  const rows = await db
    .select({ id: users.id, totpSecret: users.totpSecret })
    .from(users)
    .where(and(eq(users.totpKeyVersion, input.keyVersion), sql`${users.totpSecret} is not null`))
    .limit(input.limit);
  return rows as { id: string; totpSecret: Uint8Array }[];
}

export async function replaceTotpSecret(
  db: Db,
  input: { userId: string; fromKeyVersion: number; secret: Uint8Array; keyVersion: number },
): Promise<void> {
  await db
    .update(users)
    .set({ totpSecret: input.secret, totpKeyVersion: input.keyVersion })
    .where(and(eq(users.id, input.userId), eq(users.totpKeyVersion, input.fromKeyVersion)));
}
