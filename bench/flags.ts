/**
 * Command-line flags of the bench. Defaults size each scenario as the messaging
 * issue asks (1,000 clients in 50 channels of 20, 10,000 idle sockets, 1,000
 * clients catching up, 1,000,000 messages of history) so that a full run of all
 * four takes about 10 minutes on a 2-core machine; `--quick` shrinks everything to
 * about a minute, to smoke-test the bench itself.
 */
import { parseArgs } from "node:util";

export const SCENARIOS = ["throughput", "idle", "catch-up", "history"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  isQuick: boolean;
  scenarios: ScenarioName[];
  /** Channels x members: the topology of the throughput and catch-up scenarios. */
  channels: number;
  members: number;
  /** Sending members per channel (the first N of each channel); all members by default. */
  senders: number;
  /** Fan-out: target total send rate, messages per second. */
  rate: number;
  /** Length of each timed throughput window. */
  seconds: number;
  /** Max throughput: outstanding (unacknowledged) messages per sender. */
  window: number;
  /** Sequential latency: messages. */
  latencyMessages: number;
  /** Accounts to register at least; the bench registers more when the sockets need them. */
  users: number;
  /** Idle: sockets held open, in channels of `members`. */
  sockets: number;
  /** Idle: how long the sockets stay quiet before memory is read again. */
  idleSeconds: number;
  /** Catch-up: messages per channel sent while the clients are away. */
  missed: number;
  /** History: messages in the one big channel. */
  rows: number;
  /** History: page requests per kind (random positions, newest page). */
  requests: number;
  payloadBytes: number;
  /** Chatalot's DATABASE_POOL_SIZE (test/support/server.ts uses 4). */
  poolSize: number;
}

export const USAGE = `usage: npx node bench/run.ts [--quick] [--scenario all|${SCENARIOS.join("|")}[,...]]
         throughput, catch-up: [--channels N] [--members N] [--senders N] [--rate MSGS_PER_S]
                               [--seconds S] [--window K] [--latency-messages N] [--users N]
                         idle: [--sockets N] [--members N] [--idle-seconds S]
                     catch-up: [--missed N]
                      history: [--rows N] [--requests N]
                          all: [--pool-size N]
Set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to bench against that
PostgreSQL server (a fresh database per scenario, dropped at exit); unset, embedded PGlite is used.`;

export function readFlags(argv: string[]): BenchOptions {
  const text = { type: "string" } as const;
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
      scenario: text,
      ...{ channels: text, members: text, senders: text, rate: text, seconds: text, window: text },
      ...{ "latency-messages": text, users: text, sockets: text, "idle-seconds": text, missed: text },
      ...{ rows: text, requests: text, "pool-size": text },
    },
  });
  const isQuick = values.quick;
  const pick = (full: number, quick: number) => (isQuick ? quick : full);
  const members = positive("members", values.members, pick(20, 5));
  const options: BenchOptions = {
    isQuick,
    scenarios: readScenarios(values.scenario ?? "all"),
    channels: positive("channels", values.channels, pick(50, 2)),
    members,
    senders: Math.min(members, positive("senders", values.senders, members)),
    rate: positive("rate", values.rate, pick(500, 100)),
    seconds: positive("seconds", values.seconds, pick(10, 2)),
    window: positive("window", values.window, pick(2, 4)),
    latencyMessages: positive("latency-messages", values["latency-messages"], pick(300, 50)),
    users: positive("users", values.users, 1),
    sockets: positive("sockets", values.sockets, pick(10_000, 200)),
    // Long enough for workerd to evict the idle rooms (see bench/README.md).
    idleSeconds: positive("idle-seconds", values["idle-seconds"], pick(20, 12)),
    // 100 a channel: ~10 s of the 500 msg/s load missed during a restart. Quick: past one sync page (200).
    missed: positive("missed", values.missed, pick(100, 210)),
    rows: positive("rows", values.rows, pick(1_000_000, 20_000)),
    requests: positive("requests", values.requests, pick(1_000, 200)),
    payloadBytes: 200,
    poolSize: positive("pool-size", values["pool-size"], 4),
  };
  if (options.members < 2) throw new FlagError("--members must be at least 2: fan-out needs a receiver");
  // After the checks, so `--help` also says whether the rest of the command line is valid.
  if (values.help) {
    console.log(`${USAGE}\n\nThese flags would run: ${options.scenarios.join(", ")}${isQuick ? " (quick)" : ""}`);
    process.exit(0);
  }
  return options;
}

function readScenarios(raw: string): ScenarioName[] {
  if (raw === "all") return [...SCENARIOS];
  const names = raw.split(",").map((name) => name.trim());
  for (const name of names) {
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      throw new FlagError(`--scenario: unknown scenario "${name}" (one of all, ${SCENARIOS.join(", ")})`);
    }
  }
  return names as ScenarioName[];
}

export class FlagError extends Error {
  override name = "FlagError";
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new FlagError(`--${name} must be a positive number, not "${raw}"`);
  return name === "rate" || name === "seconds" || name === "idle-seconds" ? value : Math.round(value);
}
