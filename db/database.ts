/**
 * The Database Durable Object: the one place that holds PostgreSQL connections.
 * A stateless worker cannot keep a connection between requests, and connecting
 * costs ~50 ms, so handlers and rooms send named queries here instead; this object
 * lives on, its pool stays warm, and migrations are applied before the first query.
 */
import { neonConfig, Pool } from "@neondatabase/serverless";
import { DurableObject } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/neon-serverless";
import { AppendGroups, appendStatementsMax, type ChannelBatch } from "./append-groups.ts";
import { bridgeSocketClass } from "./bridge-socket.ts";
import type { Db } from "./db.ts";
import { errorText, LOG_LEVELS, log, setLogLevel, type LogLevel } from "./log.ts";
import { count, metricsSnapshot, observe, setGauge, type MetricsSnapshot } from "./metrics.ts";
import { applyMigrations, MigrationError } from "./migrate.ts";
import { queries, type QueryName } from "./queries/index.ts";
import { pruneExpired } from "./queries/maintenance.ts";
import { appendAcross } from "./queries/messages.ts";
import { prunePushSubscriptions } from "./queries/push-subscriptions.ts";
import * as schema from "./schema.ts";

export interface DatabaseEnv {
  DATABASE_URL: string;
  DATABASE_POOL_SIZE?: string;
  LOG_LEVEL?: string;
  PG_BRIDGE: Fetcher;
  /** Removes orphaned and deleted uploads' files (functions/storage/upload-housekeeping.ts). */
  UPLOAD_HOUSEKEEPING?: { sweep(): Promise<number> };
}

/** Why a call failed: the database is unreachable, the schema could not be migrated, or the query failed. */
export type DatabaseFailure = { ok: false; kind: "unavailable" | "migration_failed" | "failed"; message: string };
export type DatabaseResult<T> = { ok: true; value: T } | DatabaseFailure;

const CONNECT_TIMEOUT_MS = 5_000;
const HEALTH_TIMEOUT_MS = 3_000;
const IDLE_TIMEOUT_MS = 30_000;
const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;
/** The refresh token lifetime (functions/refresh-cookie.ts): spent tokens older than this prove nothing. */
const REFRESH_TOKEN_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export class Database extends DurableObject<DatabaseEnv> {
  #pool: Pool;
  #db: Db;
  #migration: Promise<void> | undefined;
  #migrationFailure: string | undefined;
  #isMigrated = false;
  /** Connections the pool reported lost (an error while idle), so their removal is counted as such. */
  #lost = new WeakSet<object>();
  /** Rooms' appends that wait at the same moment share one statement and one commit. */
  #appends = new AppendGroups(
    (batches) => appendAcross(this.#db, { batches }),
    (error) => mayHaveCommitted(error),
    appendStatementsMax(Number(this.env.DATABASE_POOL_SIZE ?? 8)),
  );

  constructor(ctx: DurableObjectState, env: DatabaseEnv) {
    super(ctx, env);
    // This object may run in an isolate of its own, where no request set the level.
    if ((LOG_LEVELS as readonly string[]).includes(env.LOG_LEVEL ?? "")) setLogLevel(env.LOG_LEVEL as LogLevel);
    // The driver reads its socket settings from this static config; every pool in
    // this isolate goes through the same bridge, so setting it here is safe.
    neonConfig.webSocketConstructor = bridgeSocketClass(env.PG_BRIDGE);
    neonConfig.wsProxy = (host, port) => `pg-bridge/?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false; // the bridge is in-process; TLS is for the TCP leg if any
    neonConfig.pipelineConnect = false; // pipelining breaks SCRAM login against plain PostgreSQL
    this.#pool = new Pool({
      connectionString: env.DATABASE_URL,
      max: Number(env.DATABASE_POOL_SIZE ?? 8),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      idleTimeoutMillis: IDLE_TIMEOUT_MS,
    });
    // An idle client whose server or network went away emits here; the pool drops it and
    // connects again on demand. Without a listener the error would crash the isolate.
    // The pool's own closing of a connection idle for IDLE_TIMEOUT_MS is no loss: the bridge
    // ends the pipe, which the driver sees as a reset and ignores (db/bridge-socket.ts).
    this.#pool.on("error", (error: Error, client: object) => {
      this.#lost.add(client);
      log.error("database_connection_lost", { error: errorText(error) });
    });
    this.#pool.on("remove", (client: object) => {
      const reason = this.#lost.has(client) ? "lost" : "closed";
      count("chatalot_database_connections_closed_total", { reason });
      if (reason === "closed") log.debug("database_connection_closed", { open: this.#pool.totalCount });
    });
    this.#db = drizzle({ client: this.#pool, schema, casing: "snake_case" });
  }

  /** Applies pending migrations (once per object lifetime) and schedules housekeeping. Called by server start-up. */
  async startup(): Promise<DatabaseResult<{ migrated: true }>> {
    try {
      await this.#ensureMigrated();
      await this.#housekeeping();
      return { ok: true, value: { migrated: true } };
    } catch (error) {
      return failure(error, this.#migrationFailure);
    }
  }

  /** Whether a trivial query succeeds right now; used by /health. */
  async isHealthy(): Promise<boolean> {
    try {
      await withTimeout(this.#pool.query("select 1"), HEALTH_TIMEOUT_MS);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * For /health: the database answers, and the schema is current. Until migrations are
   * applied the server is starting, not ready (a request would wait on them); asking
   * starts them, so a server without the entrypoint's start-up call gets there too.
   */
  async health(): Promise<{ isReachable: boolean; isReady: boolean }> {
    const isReachable = await this.isHealthy();
    if (!isReachable || this.#migrationFailure)
      return { isReachable: isReachable && !this.#migrationFailure, isReady: false };
    // A new object checks the schema once (quick when current); migrations still running, or
    // waiting on another process's lock, answer "starting".
    const migrated = await withTimeout(this.#ensureMigrated(), HEALTH_TIMEOUT_MS).then(
      () => true,
      () => false,
    );
    return { isReachable: !this.#migrationFailure, isReady: migrated };
  }

  /** Hourly housekeeping: prune expired rows; a failure waits for the next hour. */
  override async alarm(): Promise<void> {
    await this.#housekeeping();
  }

  /** Prunes expired rows (at start-up, then hourly); a failure waits for the next run. */
  async #housekeeping(): Promise<void> {
    try {
      await this.#ensureMigrated();
      const pruned = await pruneExpired(this.#db, {
        spentTokenSeconds: REFRESH_TOKEN_MAX_AGE_SECONDS,
        endedSessionSeconds: REFRESH_TOKEN_MAX_AGE_SECONDS,
        idleSessionSeconds: 2 * REFRESH_TOKEN_MAX_AGE_SECONDS,
      });
      // Web Push subscriptions of revoked sessions and of devices unused for 30 days (issue #23).
      pruned.pushSubscriptions = await prunePushSubscriptions(this.#db);
      if (Object.values(pruned).some((rows) => rows > 0)) log.info("database_pruned", pruned);
    } catch (error) {
      log.warn("database_housekeeping_failed", { error: errorText(error) });
    }
    try {
      // Uploads' parts live in the file store, which only functions/ reaches.
      const uploads = (await this.env.UPLOAD_HOUSEKEEPING?.sweep()) ?? 0;
      if (uploads > 0) log.info("uploads_removed", { uploads });
    } catch (error) {
      log.warn("uploads_housekeeping_failed", { error: errorText(error) });
    }
    await this.ctx.storage.setAlarm(Date.now() + HOUSEKEEPING_INTERVAL_MS);
  }

  /** This isolate's metrics, with the pool's gauges as they stand now (functions/routes/metrics.ts). */
  metrics(): MetricsSnapshot {
    setGauge("chatalot_database_pool_connections", { state: "total" }, this.#pool.totalCount);
    setGauge("chatalot_database_pool_connections", { state: "idle" }, this.#pool.idleCount);
    setGauge("chatalot_database_pool_connections", { state: "waiting" }, this.#pool.waitingCount);
    setGauge("chatalot_database_pool_size", {}, Number(this.env.DATABASE_POOL_SIZE ?? 8));
    return metricsSnapshot();
  }

  /** Runs one named query from db/queries with its input. */
  async run(name: QueryName, input: unknown): Promise<DatabaseResult<unknown>> {
    const query = queries[name] as ((db: Db, input: unknown) => Promise<unknown>) | undefined;
    if (!query) return { ok: false, kind: "failed", message: `unknown query ${String(name)}` };
    try {
      await this.#ensureMigrated();
      const started = performance.now();
      const value =
        name === "appendMessages" ? await this.#appends.append(input as ChannelBatch) : await query(this.#db, input);
      observe("chatalot_database_query_duration_seconds", (performance.now() - started) / 1000);
      return { ok: true, value };
    } catch (error) {
      return failure(error, this.#migrationFailure);
    }
  }

  /** run(), with when this object began and finished it (the latency spans, db/latency-spans.ts). */
  async runTimed(
    name: QueryName,
    input: unknown,
  ): Promise<{ result: DatabaseResult<unknown>; startedAt: number; finishedAt: number }> {
    const startedAt = Date.now();
    const result = await this.run(name, input);
    return { result, startedAt, finishedAt: Date.now() };
  }

  #ensureMigrated(): Promise<void> {
    if (this.#migrationFailure) return Promise.reject(new MigrationError(this.#migrationFailure));
    this.#migration ??= (async () => {
      const client = await this.#pool.connect();
      try {
        const { applied } = await applyMigrations(client);
        if (applied > 0) log.info("database_migrated", { applied });
        this.#isMigrated = true;
      } finally {
        client.release();
      }
    })().catch((error: unknown) => {
      if (error instanceof MigrationError) {
        this.#migrationFailure = error.message;
        log.error("database_migration_failed", { error: error.message });
      } else {
        this.#migration = undefined; // unreachable database: try again on the next call
      }
      throw error;
    });
    return this.#migration;
  }
}

function failure(error: unknown, migrationFailure: string | undefined): DatabaseFailure {
  if (migrationFailure || error instanceof MigrationError) {
    return { ok: false, kind: "migration_failed", message: migrationFailure ?? String(error) };
  }
  if (isUnavailable(error)) {
    log.warn("database_unavailable", { error: messageOf(causeOf(error)) });
    return { ok: false, kind: "unavailable", message: "the database is unreachable" };
  }
  // A failed query is a server bug, not user input: log it here, keep details out of responses.
  const cause = causeOf(error);
  const code = (cause as { code?: unknown }).code;
  log.error("database_query_failed", { code: typeof code === "string" ? code : null, error: messageOf(cause) });
  return { ok: false, kind: "failed", message: "a database query failed" };
}

/** Drizzle wraps driver errors; the SQLSTATE is on the cause. */
const causeOf = (error: unknown): unknown => (error instanceof Error && error.cause ? error.cause : error);
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * "Try again later" rather than "this is a bug": connection-level failures, the
 * server shutting down or full, and transaction conflicts (serialization, deadlock,
 * read-only after a failover). Errors without a SQLSTATE count only when the driver
 * or the bridge says the connection went away.
 */
export function isUnavailable(error: unknown): boolean {
  const cause = causeOf(error);
  const code = (cause as { code?: unknown }).code;
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return RETRYABLE_CODES.test(code);
  return CONNECTION_ERROR.test(messageOf(cause));
}

const RETRYABLE_CODES = /^(08|57P0[1-3]|53300|40001|40P01|25006)/;

/**
 * Whether a failed statement may still have committed: only when PostgreSQL's answer was
 * lost (no SQLSTATE, or a connection-class one). A deadlock, a serialization failure or
 * any other answered error rolled it back.
 */
function mayHaveCommitted(error: unknown): boolean {
  const code = (causeOf(error) as { code?: unknown }).code;
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code.startsWith("08");
  return isUnavailable(error);
}
const CONNECTION_ERROR = /connect|terminat|timed? ?out|closed|lost|ECONN|socket|bridge|network/i;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
