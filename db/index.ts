/**
 * db/'s public face for the rest of the server: the Database object, the bridge,
 * and `query()`, the typed way to run a named query from a handler or a room.
 */
import type { Database, DatabaseFailure, DatabaseResult } from "./database.ts";
import type { QueryInput, QueryName, QueryOutput } from "./queries/index.ts";

export { Database } from "./database.ts";
export type { QueryInput, QueryName, QueryOutput } from "./queries/index.ts";
export { PostgresBridge } from "./postgres-bridge.ts";
export { errorText, log, LOG_LEVELS, setLogLevel, type LogFields, type LogLevel } from "./log.ts";
export {
  count,
  mergeSnapshots,
  METRICS,
  metricsSnapshot,
  observe,
  setGauge,
  type Labels,
  type MetricName,
  type MetricsSnapshot,
  type Series,
} from "./metrics.ts";
export {
  isTimingSpans,
  LATENCY_SPANS,
  latencySpansSnapshot,
  recordSpans,
  SPAN_BUCKETS_MS,
  startSpanTimes,
  type LatencySpan,
  type LatencySpansSnapshot,
  type SpanTimes,
} from "./latency-spans.ts";
export { newMessageRecord } from "./queries/message-records.ts";
export { liveCustomStatus, type CustomStatusRecord } from "./queries/profile-fields.ts";
export type {
  AuditRecord,
  CategoryRecord,
  ChannelContextRecord,
  ChannelRecord,
  CommunityRecord,
  DirectParticipant,
  InviteRecord,
  LockoutPolicy,
  MemberContextRecord,
  MembershipEventRecord,
  AccountKeyRecord,
  AppendOutcome,
  DeviceRecord,
  MlsCommitRecord,
  MlsGroupRecord,
  MlsWelcomeRecord,
  AppendResult,
  ChangeResult,
  MessageRecord,
  NewMessage,
  OverrideRecord,
  PictureOwner,
  PictureRecord,
  ReactionRecord,
  RoleRecord,
  SessionRecord,
  StoredPicture,
  UploadRecord,
  UserRecord,
} from "./queries/index.ts";

/** The single Database object every caller shares. */
const DATABASE_NAME = "primary";

/** Thrown when the database cannot answer; callers turn it into 503 or 500. */
export class DatabaseError extends Error {
  override name = "DatabaseError";
  readonly kind: DatabaseFailure["kind"];
  constructor(kind: DatabaseFailure["kind"], message: string) {
    super(message);
    this.kind = kind;
  }
}

export function databaseStub(namespace: DurableObjectNamespace<Database>): DurableObjectStub<Database> {
  return namespace.get(namespace.idFromName(DATABASE_NAME));
}

export async function query<K extends QueryName>(
  namespace: DurableObjectNamespace<Database>,
  name: K,
  input: QueryInput<K>,
): Promise<QueryOutput<K>> {
  // RPC wraps the result type; the shape itself is DatabaseResult.
  const result = (await databaseStub(namespace).run(name, input)) as DatabaseResult<unknown>;
  if (!result.ok) throw new DatabaseError(result.kind, result.message);
  return result.value as QueryOutput<K>;
}

/**
 * query() that also says when the Database object began and finished the work
 * (Date.now() there), for the latency spans (db/latency-spans.ts): only called when
 * they are on, so the usual path keeps its shape.
 */
export async function queryTimed<K extends QueryName>(
  namespace: DurableObjectNamespace<Database>,
  name: K,
  input: QueryInput<K>,
): Promise<{ value: QueryOutput<K>; startedAt: number; finishedAt: number }> {
  const timed = (await databaseStub(namespace).runTimed(name, input)) as {
    result: DatabaseResult<unknown>;
    startedAt: number;
    finishedAt: number;
  };
  if (!timed.result.ok) throw new DatabaseError(timed.result.kind, timed.result.message);
  return { value: timed.result.value as QueryOutput<K>, startedAt: timed.startedAt, finishedAt: timed.finishedAt };
}
