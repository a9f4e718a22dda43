/**
 * Re-encrypts TOTP secrets still under a retired key with the current one. Runs at
 * start-up whenever TOTP_ENCRYPTION_KEYS_RETIRED names keys, so after a rotation
 * (scripts/rotate-totp-key.sh, then a restart) the retired keys can be deleted.
 */
import { query } from "../db/index.ts";
import type { Config } from "./config.ts";
import { decryptTotpSecret, encryptTotpSecret } from "./totp.ts";

const BATCH = 100;

export async function reencryptRetiredTotpSecrets(env: Env, config: Config): Promise<number> {
  let moved = 0;
  for (const version of config.TOTP_ENCRYPTION_KEYS_RETIRED.keys()) {
    if (version === config.TOTP_ENCRYPTION_KEY_VERSION) continue;
    for (;;) {
      const batch = await query(env.DATABASE, "totpSecretsUnderKey", { keyVersion: version, limit: BATCH });
      for (const row of batch) {
        const secret = await decryptTotpSecret(config, row.totpSecret, version);
        const { ciphertext, keyVersion } = await encryptTotpSecret(config, secret);
        await query(env.DATABASE, "replaceTotpSecret", {
          userId: row.id,
          fromKeyVersion: version,
          secret: ciphertext,
          keyVersion,
        });
        moved++;
      }
      if (batch.length < BATCH) break;
    }
  }
  return moved;
}
