/**
 * Scenario 3 of the messaging issue, idle capacity: `sockets` authenticated sockets
 * (channels of `members`) held open and quiet, so the rooms hibernate (workerd evicts
 * a Durable Object 10 s after its last event and keeps its hibernatable sockets
 * open), with the workerd processes' resident memory read from /proc; then the same
 * against a bare workerd room (reference-room.js), to separate workerd's own cost
 * per socket from Chatalot's.
 */
import { readFileSync } from "node:fs";
import { startBenchServer } from "./bench-server.ts";
import { prepareChatalot } from "./chatalot-target.ts";
import type { BenchOptions } from "./flags.ts";
import { measureIdle } from "./idle-measure.ts";
import { printIdle, TARGET_SOCKETS } from "./idle-report.ts";
import { onCleanup } from "./cleanup.ts";
import { startReferenceRoom } from "./reference-room-target.ts";

/** workerd holds two descriptors per accepted socket (seen in /proc/<pid>/fd: each socket twice). */
const DESCRIPTORS_PER_SOCKET = 2;
/** Besides sockets: each awake room's SQLite files, the database pool, logs, the binary. */
const DESCRIPTORS_PER_CHANNEL = 3;
const DESCRIPTORS_SPARE = 500;

export async function runIdleSockets(options: BenchOptions): Promise<void> {
  const bench = await startBenchServer("idle", options);
  const channels = fittingChannels(Math.ceil(options.sockets / options.members), options.members);
  const sockets = channels * options.members;
  console.log(
    `load:     ${sockets} sockets in ${channels} channels of ${options.members}, quiet for ${options.idleSeconds} s, ` +
      "then one message per channel, twice; then the same against the reference room",
  );
  const setupStart = performance.now();
  const chatalot = await prepareChatalot(bench.server.url, { sockets, channels });
  console.log(
    `setup:    ${channels} channels in ${((performance.now() - setupStart) / 1000).toFixed(1)} s; ` +
      `${chatalot.accounts.count} accounts, registered while the sockets connect`,
  );
  await bench.refreshCpuGroups();
  const ours = await measureIdle(
    chatalot.target,
    { rootPid: bench.server.process.pid!, cpuGroups: bench.cpuGroups },
    options,
  );

  const reference = await startReferenceRoom(channels);
  onCleanup("stop the reference room", () => reference.stop());
  const referencePid = reference.process.pid!;
  const theirs = await measureIdle(
    reference.target,
    {
      rootPid: referencePid,
      cpuGroups: [
        { name: "reference room", rootPids: [referencePid] },
        { name: "load gen", rootPids: [process.pid] },
      ],
    },
    options,
  );
  printIdle([ours, theirs]);
}

/**
 * As many channels as the open-files limit lets workerd hold (it inherits ours): at
 * 20,000, as here, 10,000 sockets do not fit, so fewer are measured and the figures
 * extrapolated. Raising `ulimit -n` before the run lifts the cap.
 */
function fittingChannels(channels: number, members: number): number {
  const limit = openFilesLimit();
  const perChannel = members * DESCRIPTORS_PER_SOCKET + DESCRIPTORS_PER_CHANNEL;
  const fitting = Math.floor((limit - DESCRIPTORS_SPARE) / perChannel);
  if (fitting >= channels) return channels;
  console.log(
    `note:     the open-files limit is ${limit} and workerd holds ${DESCRIPTORS_PER_SOCKET} descriptors per socket: ` +
      `measuring ${fitting * members} sockets, not ${channels * members}; ` +
      `figures for ${TARGET_SOCKETS} are extrapolated (raise \`ulimit -n\` to measure them)`,
  );
  return fitting;
}

function openFilesLimit(): number {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((text) => text.startsWith("Max open files"));
    const soft = Number(line?.split(/\s+/)[3]);
    return Number.isFinite(soft) ? soft : Infinity;
  } catch {
    return Infinity;
  }
}
