/**
 * Applies the committed drizzle-kit migrations, embedded in the bundle because
 * workerd has no file system. A session-level advisory lock makes it safe when
 * several server processes start at once: the second waits, then finds nothing to do.
 */
import type { PoolClient } from "@neondatabase/serverless";
import type { MigrationConfig, MigrationMeta } from "drizzle-orm/migrator";
import { drizzle } from "drizzle-orm/neon-serverless";
import { embeddedMigrations } from "./migrations/embedded.ts";

/** Arbitrary, fixed: every Chatalot process agrees on it. */
const MIGRATION_LOCK_ID = 7_220_113;

interface MigratorInternals {
  dialect: { migrate(migrations: MigrationMeta[], session: unknown, config: MigrationConfig): Promise<void> };
  session: unknown;
}

/** Connection-level failures (SQLSTATE class 08, shutdown, or no SQLSTATE at all) are not the migration's fault. */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code !== "string" || /^(08|57P0[1-3]|53300)/.test(code);
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

export async function applyMigrations(client: PoolClient): Promise<{ applied: number }> {
  await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
  try {
    // The migrator's entry points take a folder on disk; its dialect method takes
    // the migrations themselves. Those members are marked internal in the types.
    const db = drizzle({ client }) as unknown as MigratorInternals;
    const before = await countApplied(client);
    try {
      // The stock migrator, fed from the embedded files instead of the disk.
      await db.dialect.migrate(
        embeddedMigrations.map((migration) => ({
          sql: migration.sql.split("--> statement-breakpoint"),
          bps: migration.breakpoints,
          folderMillis: migration.when,
          hash: migration.hash,
        })),
        db.session,
        { migrationsFolder: "embedded" },
      );
    } catch (error) {
      const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause : error) : undefined;
      // A dropped connection mid-migration was rolled back too; only a failing statement is final.
      if (isTransient(cause)) throw error;
      throw new MigrationError(
        `a database migration failed and was rolled back (${cause?.message ?? String(error)}); ` +
          "the schema is unchanged. Check the database logs, fix the cause, then restart Chatalot.",
      );
    }
    return { applied: (await countApplied(client)) - before };
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => {});
  }
}

async function countApplied(client: PoolClient): Promise<number> {
  const result = await client.query(
    "select count(*)::int as count from information_schema.tables where table_schema = 'drizzle' and table_name = '__drizzle_migrations'",
  );
  if (result.rows[0].count === 0) return 0;
  const applied = await client.query("select count(*)::int as count from drizzle.__drizzle_migrations");
  return applied.rows[0].count as number;
}
