/**
 * Command-line flags of the bench. Defaults keep a full run under ~2 minutes on a
 * 2-core machine; `--quick` shrinks everything to smoke-test the bench itself.
 */
import { parseArgs } from "node:util";

export interface BenchOptions {
  isQuick: boolean;
  channels: number;
  members: number;
  /** Sending members per channel (the first N of each channel); all members by default. */
  senders: number;
  /** Fan-out scenario: target total send rate, messages per second. */
  rate: number;
  /** Length of each timed scenario. */
  seconds: number;
  /** Max-throughput scenario: outstanding (unacknowledged) messages per sender. */
  window: number;
  /** Latency scenario: sequential messages. */
  latencyMessages: number;
  /**
   * Registered accounts, shared round-robin by all sockets. Registration costs a ~0.4 s
   * password hash and is rate limited per address (10 an hour when this was written).
   */
  users: number;
  payloadBytes: number;
  /** Chatalot's DATABASE_POOL_SIZE (test/support/server.ts uses 4). */
  poolSize: number;
}

export const USAGE = `usage: node bench/run.ts [--quick] [--channels N] [--members N] [--senders N]
                         [--rate MSGS_PER_S] [--seconds S] [--window K] [--latency-messages N]
                         [--users N] [--pool-size N]
Set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to bench against that
PostgreSQL server (a fresh database is created and dropped); unset, embedded PGlite is used.`;

export function readFlags(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
      channels: { type: "string" },
      members: { type: "string" },
      senders: { type: "string" },
      rate: { type: "string" },
      seconds: { type: "string" },
      window: { type: "string" },
      "latency-messages": { type: "string" },
      users: { type: "string" },
      "pool-size": { type: "string" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const isQuick = values.quick;
  const members = positive("members", values.members, isQuick ? 4 : 10);
  const options: BenchOptions = {
    isQuick,
    channels: positive("channels", values.channels, isQuick ? 2 : 4),
    members,
    senders: Math.min(members, positive("senders", values.senders, members)),
    rate: positive("rate", values.rate, 200),
    seconds: positive("seconds", values.seconds, isQuick ? 2 : 10),
    window: positive("window", values.window, 8),
    latencyMessages: positive("latency-messages", values["latency-messages"], isQuick ? 100 : 500),
    users: positive("users", values.users, isQuick ? 4 : 10),
    payloadBytes: 200,
    poolSize: positive("pool-size", values["pool-size"], 4),
  };
  if (options.members < 2) throw new FlagError("--members must be at least 2: fan-out needs a receiver");
  return options;
}

export class FlagError extends Error {
  override name = "FlagError";
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new FlagError(`--${name} must be a positive number, not "${raw}"`);
  return name === "rate" || name === "seconds" ? value : Math.round(value);
}
