/**
 * Scenarios 1 and 2 of the messaging issue: throughput and latency with channels x
 * members sockets (sequential send -> ack, fan-out at a fixed rate, maximum
 * throughput), then the same load against a bare workerd Durable Object room
 * (reference-room.js: what workerd itself allows, no database and no checks) and a
 * plain `ws` broadcast server for reference, and the figures as ratios of the reference's.
 */
import { startBenchServer } from "./bench-server.ts";
import { countStoredMessages } from "./bench-database.ts";
import { prepareChatalot } from "./chatalot-target.ts";
import { onCleanup } from "./cleanup.ts";
import type { BenchOptions } from "./flags.ts";
import { measureTarget, type Measurement } from "./measure.ts";
import { startReferenceRoom } from "./reference-room-target.ts";
import { startReference } from "./reference-target.ts";
import { printRatios, printResults, type ScenarioResult } from "./report.ts";
import { formatNumber } from "./stats.ts";

const TARGET_ACKED_PER_SECOND = 1_500;
const TARGET_RATE = 500;
const TARGET_P99_MS = 150;
const TARGET_RATIO = 0.5;

export async function runThroughput(options: BenchOptions): Promise<void> {
  const bench = await startBenchServer("throughput", options);
  const sockets = options.channels * options.members;
  console.log(
    `load:     ${options.channels} channels x ${options.members} members (${options.senders} senders each), ` +
      `${options.payloadBytes}-byte payloads; latency ${options.latencyMessages} messages; fan-out ${options.rate} msg/s ` +
      `for ${options.seconds} s; max throughput window ${options.window} per sender for ${options.seconds} s`,
  );

  const registering = performance.now();
  const chatalot = await prepareChatalot(bench.server.url, {
    sockets,
    channels: options.channels,
    minimumAccounts: options.users,
  });
  // Every account first: registering keeps the password hasher busy, which would skew the figures.
  await chatalot.accounts.all();
  const setupSeconds = ((performance.now() - registering) / 1000).toFixed(1);
  console.log(
    `setup:    ${options.channels + 1} channels and ${chatalot.accounts.count} accounts (at most 30 sockets each) ` +
      `in ${setupSeconds} s`,
  );
  const reference = await startReference(options.channels);
  onCleanup("stop the reference server", () => reference.stop());
  const bareRoom = await startReferenceRoom(options.channels);
  onCleanup("stop the reference room", () => bareRoom.stop());

  const cpuGroups = [...bench.cpuGroups];
  cpuGroups.splice(
    1,
    0,
    { name: "workerd room", rootPids: [bareRoom.process.pid!] },
    { name: "reference", rootPids: [reference.process.pid!] },
  );
  const run: Measurement = { options, cpuGroups, refreshCpuGroups: bench.refreshCpuGroups, totalAcked: 0 };
  const ours = await measureTarget(chatalot.target, run);
  const bare = await measureTarget({ ...bareRoom.target, name: "workerd room" }, run);
  const theirs = await measureTarget(reference.target, run);
  // Each scenario's rows side by side.
  const results: ScenarioResult[] = ours.flatMap((result, index) => [result, bare[index]!, theirs[index]!]);

  printResults(
    results,
    cpuGroups.map((group) => group.name),
  );
  printRatios(results);
  const stored = await countStoredMessages(bench.database);
  console.log(
    `\nstored:   ${stored} message rows in PostgreSQL; Chatalot acked ${run.totalAcked} (warm-ups included)` +
      (stored === run.totalAcked ? ": every ack is a stored row" : ": MISMATCH"),
  );
  console.log(`addresses: ${chatalot.api.addresses.used} X-Forwarded-For client addresses used (bench/README.md)`);
  printTargets(ours, theirs, options);
  const ceiling = bare[2]!.ackedPerSecond / theirs[2]!.ackedPerSecond;
  console.log(
    `ceiling:  a bare workerd room reached ${formatNumber(ceiling)} of the reference's throughput; ` +
      `Chatalot reached ${formatNumber(ours[2]!.ackedPerSecond / bare[2]!.ackedPerSecond)} of the bare room's`,
  );
}

/** The targets, against this run's figures (meant for its default load: 50 x 20 at 500 msg/s). */
function printTargets(ours: ScenarioResult[], theirs: ScenarioResult[], options: BenchOptions): void {
  const [, fanOut, max] = ours as [ScenarioResult, ScenarioResult, ScenarioResult];
  const referenceMax = theirs[2]!;
  const verdict = (isMet: boolean) => (isMet ? "met" : "NOT met");
  const isAllDelivered = max.counts.delivered === max.counts.expected && max.counts.pending === 0;
  console.log(
    `target:   >= ${TARGET_ACKED_PER_SECOND} msg/s stored and delivered to every member (${options.members} a channel): ` +
      `${formatNumber(max.ackedPerSecond)} acked/s at saturation, ${isAllDelivered ? "all" : "NOT all"} delivered ` +
      `(${verdict(max.ackedPerSecond >= TARGET_ACKED_PER_SECOND && isAllDelivered)})`,
  );
  console.log(
    `target:   send -> delivery p99 < ${TARGET_P99_MS} ms at ${TARGET_RATE} msg/s: ${formatNumber(fanOut.delivery.p99)} ms ` +
      `at ${options.rate} msg/s (${options.rate >= TARGET_RATE ? verdict(fanOut.delivery.p99 < TARGET_P99_MS) : "rate below the target's"})`,
  );
  const ratio = max.ackedPerSecond / referenceMax.ackedPerSecond;
  console.log(
    `target:   throughput >= ${TARGET_RATIO} of the reference's: ${formatNumber(ratio)} at saturation (${verdict(ratio >= TARGET_RATIO)}; ` +
      "if the load generator was saturated the reference's figure is a lower bound and the ratio flatters Chatalot)",
  );
}
