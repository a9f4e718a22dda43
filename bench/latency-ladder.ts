/**
 * The latency ladder (issue 22): open-loop offered rates in steps, against Chatalot
 * (scripts/serve.sh + workerd, a fresh PostgreSQL database) and the plain `ws`
 * reference in the same run. Each client holds a channel socket and, on Chatalot, an
 * account socket as a browser does. Per step: accepted and delivered per second, ack
 * and send-to-delivery percentiles, errors, CPU by process; once: time to connect
 * and join everyone, and the server's memory with them idle; with `--spans RATE`,
 * where a message's time goes in the server at that step. It reports; it never
 * fails on a threshold. See bench/README.md ("Latency ladder").
 */
import { parseArgs } from "node:util";
import { AccountPool } from "./account-pool.ts";
import { startBenchServer } from "./bench-server.ts";
import { countStoredMessages } from "./bench-database.ts";
import { dialChatalot } from "./chatalot-target.ts";
import { ChatalotApi } from "./chatalot-api.ts";
import { cleanUpOnAbnormalExit, cleanup, onCleanup } from "./cleanup.ts";
import { AccountSockets } from "./latency-ladder-accounts.ts";
import { printLadder } from "./latency-ladder-report.ts";
import { printSpans, readSpans } from "./latency-ladder-spans.ts";
import { runStep, shuffled, type Ladder, type StepResult } from "./latency-ladder-steps.ts";
import { LoadSession } from "./load-session.ts";
import { megabytes, serverMemory, workerdBytes } from "./process-memory.ts";
import { startReference } from "./reference-target.ts";
import { commandLine, machineLine } from "./report.ts";
import type { Target } from "./target.ts";

const USAGE = `usage: npx node bench/latency-ladder.ts [--channels N] [--members N] [--rates R1,R2,...]
         [--seconds S] [--spans RATE] [--no-reference] [--no-account-sockets]
         [--pool-size N]`;
/**
 * Clients per account: the server allows 16 account sockets a person (rooms/user-sockets.ts),
 * and registering 1,000 accounts would keep the password hasher busy for minutes.
 */
const CLIENTS_PER_ACCOUNT = 16;
const CONNECT_CONCURRENCY = 32;
/** Quiet time before the idle memory is read: the connect's garbage is collected meanwhile. */
const IDLE_SECONDS = 5;
const PAYLOAD_BYTES = 200;

interface Options {
  channels: number;
  members: number;
  rates: number[];
  seconds: number;
  spans: number | undefined;
  isReferenceRun: boolean;
  /** Off, to see what the account sockets cost (by the difference). */
  hasAccountSockets: boolean;
  poolSize: number;
}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...{ channels: { type: "string" }, members: { type: "string" }, rates: { type: "string" } },
      ...{ seconds: { type: "string" }, spans: { type: "string" }, "pool-size": { type: "string" } },
      "no-reference": { type: "boolean", default: false },
      "no-account-sockets": { type: "boolean", default: false },
    },
  });
  const positive = (name: string, raw: string | undefined, fallback: number) => {
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`--${name} must be a positive number, not "${raw}"\n${USAGE}`);
    return value;
  };
  const rates = (values.rates ?? "250,500,1000,2000,3000,4000,6000")
    .split(",")
    .map((rate) => positive("rates", rate, 0));
  const spans = values.spans === undefined ? undefined : positive("spans", values.spans, 0);
  if (spans !== undefined && !rates.includes(spans))
    throw new Error(`--spans ${spans} is not one of --rates\n${USAGE}`);
  const options = {
    channels: Math.round(positive("channels", values.channels, 50)),
    members: Math.round(positive("members", values.members, 20)),
    rates,
    seconds: positive("seconds", values.seconds, 20),
    spans,
    isReferenceRun: !values["no-reference"],
    hasAccountSockets: !values["no-account-sockets"],
    poolSize: Math.round(positive("pool-size", values["pool-size"], 4)),
  };
  if (options.members < 2) throw new Error(`--members must be at least 2: delivery needs a receiver\n${USAGE}`);
  return options;
}

async function main(options: Options): Promise<void> {
  console.log("Chatalot latency ladder");
  console.log(`command:  ${commandLine()}`);
  console.log(`machine:  ${machineLine()}`);
  const clients = options.channels * options.members;
  console.log(
    `load:     ${clients} clients in ${options.channels} channels of ${options.members}, ${PAYLOAD_BYTES}-byte ` +
      `payloads, offered ${options.rates.join(", ")} msgs/s for ${options.seconds} s each`,
  );
  const bench = await startBenchServer("latency-ladder", {
    poolSize: options.poolSize,
    env: {
      LATENCY_SPANS: options.spans === undefined ? "false" : "true",
      METRICS_ALLOWED_ADDRESSES: "127.0.0.1",
    },
  });
  const api = new ChatalotApi(bench.server.url);
  const owner = await api.register(0);
  const { channels, invites } = await api.createChannels(owner, "ladder", options.channels);
  const accounts = new AccountPool(
    Math.ceil(clients / CLIENTS_PER_ACCOUNT),
    CLIENTS_PER_ACCOUNT,
    owner,
    async (index) => {
      const account = await api.register(index);
      await api.join(account, invites);
      return account;
    },
  );
  // Every account first: registering keeps the password hasher busy, which would skew the figures.
  await accounts.all();
  // Printed as the sockets start connecting: a profile of the join starts here (bench/README.md).
  console.log(`joining:  ${clients} clients, ${CONNECT_CONCURRENCY} connecting at a time`);
  const target: Target = {
    name: "chatalot",
    channels,
    latencyChannel: channels[0]!,
    dial: async (channel, slot) => dialChatalot(api, await accounts.accountFor(slot), channel),
  };

  const connecting = performance.now();
  const [session, accountSockets] = await Promise.all([
    LoadSession.connect(target, channels, options.members, PAYLOAD_BYTES, { concurrency: CONNECT_CONCURRENCY }),
    AccountSockets.open(
      api,
      Array.from({ length: options.hasAccountSockets ? clients : 0 }, (_, slot) => accounts.accountFor(slot)),
      CONNECT_CONCURRENCY,
    ),
  ]);
  const joinSeconds = (performance.now() - connecting) / 1000;
  onCleanup(
    "close Chatalot's sockets",
    async () => void (await Promise.all([session.close(), accountSockets.close()])),
  );
  const accountSocketCount = accountSockets.sockets.length;
  console.log(
    `joined:   ${clients} channel sockets and ${accountSocketCount} account sockets in ${joinSeconds.toFixed(1)} s`,
  );
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const processes = serverMemory(bench.server.process.pid!);
  const idleBytes = workerdBytes(processes, "residentBytes");
  const byRole = processes
    .filter((process) => process.role.startsWith("workerd"))
    .map((process) => `${process.role} ${megabytes(process.residentBytes).toFixed(0)}`)
    .join(", ");
  console.log(
    `memory:   workerd resident ${megabytes(idleBytes).toFixed(0)} MB (${byRole}), all ${IDLE_SECONDS} s idle`,
  );

  const ladder: Ladder = {
    session,
    order: shuffled(session.members),
    cpuGroups: bench.cpuGroups,
    refreshCpuGroups: bench.refreshCpuGroups,
  };
  const results: StepResult[] = [];
  let totalAcked = 0;
  /** Refused or never answered: each may or may not have been stored (a lost answer, a timeout). */
  let totalUnsettled = 0;
  for (const rate of options.rates) {
    let spansBefore: Awaited<ReturnType<typeof readSpans>> | undefined;
    let timed: number | undefined;
    const spans =
      rate === options.spans
        ? {
            before: async () => void (spansBefore = await readSpans(bench.server.url)),
            after: async () => void (timed = printSpans(rate, spansBefore!, await readSpans(bench.server.url))),
          }
        : undefined;
    const result = await runStep(ladder, "chatalot", rate, options.seconds, spans);
    totalAcked += result.acked;
    totalUnsettled += result.failed + result.pending;
    printStep(result);
    if (timed !== undefined) {
      // Every message of the window acked, and none of the warm-up: the two counts agree.
      const verdict = timed === result.sent ? "they agree" : "MISMATCH";
      console.log(`  spans timed ${timed} messages; the window sent ${result.sent}: ${verdict}`);
    }
    results.push(result);
  }
  const accountErrors = accountSockets.errors;
  console.log(`account sockets: ${accountSockets.frames} frames received, ${accountErrors} errors or closes`);
  await Promise.all([session.close(), accountSockets.close()]);
  const stored = await countStoredMessages(bench.database);
  console.log(
    `stored:   ${stored} message rows in PostgreSQL; Chatalot acked ${totalAcked} (warm-ups included)` +
      (totalUnsettled > 0 ? ` and left ${totalUnsettled} refused or unanswered` : "") +
      // Only a row count: acked <= rows <= acked + unsettled is what it can tell.
      (stored >= totalAcked && stored <= totalAcked + totalUnsettled
        ? stored === totalAcked
          ? ": every ack is a stored row"
          : `: consistent (${stored - totalAcked} of the unsettled were stored; a count cannot say which)`
        : ": MISMATCH"),
  );

  let referenceJoinSeconds = NaN;
  if (options.isReferenceRun) {
    const reference = await startReference(options.channels);
    onCleanup("stop the reference server", () => reference.stop());
    const referenceConnecting = performance.now();
    const referenceSession = await LoadSession.connect(
      reference.target,
      reference.target.channels,
      options.members,
      PAYLOAD_BYTES,
      {
        concurrency: CONNECT_CONCURRENCY,
      },
    );
    referenceJoinSeconds = (performance.now() - referenceConnecting) / 1000;
    console.log(`reference: ${clients} sockets joined in ${referenceJoinSeconds.toFixed(1)} s (no account sockets)`);
    const referenceLadder: Ladder = {
      session: referenceSession,
      order: shuffled(referenceSession.members),
      // Before the load generator's group: the reference is its child, and the first group claims a process.
      cpuGroups: [{ name: "reference", rootPids: [reference.process.pid!] }, ...bench.cpuGroups],
      refreshCpuGroups: bench.refreshCpuGroups,
    };
    try {
      for (const rate of options.rates) {
        const result = await runStep(referenceLadder, "reference", rate, options.seconds);
        printStep(result);
        results.push(result);
      }
    } finally {
      await referenceSession.close();
    }
  }
  printLadder(results, { joinSeconds, referenceJoinSeconds, idleBytes, clients });
}

function printStep(result: StepResult): void {
  console.log(
    `  ${result.target} ${result.offered}/s: ${Math.round(result.acceptedPerSecond)} accepted/s, ` +
      `delivery p50 ${result.delivery.p50.toFixed(2)} p99 ${result.delivery.p99.toFixed(2)} ms, ` +
      `errors ${result.errors}, left after the drain ${result.pending} acks ${result.undelivered} relays`,
  );
  for (const sample of result.errorSamples) console.log(`    ${sample}`);
}

cleanUpOnAbnormalExit();
try {
  await main(readOptions(process.argv.slice(2)));
} catch (error) {
  console.error(`latency ladder failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
