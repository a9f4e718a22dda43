/**
 * CPU time per role (server, database, load generator, reference) from /proc, so a
 * result says which process was busy: on 2 cores everything competes. Linux only;
 * elsewhere the figures are simply absent.
 */
import { readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every mainstream Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface CpuGroup {
  name: string;
  /** These processes and all their descendants (may be refreshed between samples). */
  rootPids: number[];
}

export interface CpuSample {
  at: number;
  /** CPU ticks so far of each claimed process, by pid, with its group's name. */
  processes: Map<number, { group: string; ticks: number }>;
  machineBusy: number;
  machineTotal: number;
}

interface ProcessStat {
  pid: number;
  parent: number;
  ticks: number;
}

/** CPU ticks per process of each group; a process counts for the first group that claims it. */
export function sampleCpu(groups: CpuGroup[]): CpuSample | undefined {
  let processes: ProcessStat[];
  let machine: number[];
  try {
    processes = readdirSync("/proc")
      .filter((entry) => /^\d+$/.test(entry))
      .flatMap(readProcess);
    machine = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  } catch {
    return undefined;
  }
  const byPid = new Map(processes.map((stat) => [stat.pid, stat]));
  const claimed = new Map<number, { group: string; ticks: number }>();
  for (const stat of processes) {
    const group = groups.find((candidate) => descendsFrom(stat, candidate.rootPids, byPid));
    if (group) claimed.set(stat.pid, { group: group.name, ticks: stat.ticks });
  }
  const idle = (machine[3] ?? 0) + (machine[4] ?? 0); // idle + iowait
  const total = machine.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { at: performance.now(), processes: claimed, machineBusy: total - idle, machineTotal: total };
}

/**
 * Percent of one core per group between two samples, plus the whole machine's busy
 * percent. Only processes alive at both samples count: one that exits takes its
 * ticks with it, and would otherwise make a group's figure drop below zero.
 */
export function cpuPercent(before: CpuSample | undefined, after: CpuSample | undefined): Map<string, number> {
  const result = new Map<string, number>();
  if (!before || !after) return result;
  const seconds = (after.at - before.at) / 1000;
  for (const [pid, { group, ticks }] of after.processes) {
    const earlier = before.processes.get(pid);
    const delta = earlier?.group === group ? ticks - earlier.ticks : 0;
    result.set(group, (result.get(group) ?? 0) + (delta / CLOCK_TICKS_PER_SECOND / seconds) * 100);
  }
  const total = after.machineTotal - before.machineTotal;
  const machine = total > 0 ? ((after.machineBusy - before.machineBusy) / total) * 100 : NaN;
  // Everything else on the machine, in the same unit: other sessions' work skews a run.
  const ours = [...result.values()].reduce((sum, value) => sum + value, 0);
  result.set("other", Math.max(0, machine * cpus().length - ours));
  result.set("machine", machine);
  return result;
}

function readProcess(entry: string): ProcessStat[] {
  try {
    const text = readFileSync(`/proc/${entry}/stat`, "utf8");
    // The command sits in parentheses and may itself contain spaces or parentheses.
    const close = text.lastIndexOf(")");
    const fields = text.slice(close + 2).split(" ");
    return [
      {
        pid: Number(entry),
        parent: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
      },
    ];
  } catch {
    return []; // the process ended while we looked
  }
}

function descendsFrom(stat: ProcessStat, roots: number[], byPid: Map<number, ProcessStat>): boolean {
  for (let current: ProcessStat | undefined = stat; current; current = byPid.get(current.parent)) {
    if (roots.includes(current.pid)) return true;
    if (current.parent === current.pid) break;
  }
  return false;
}

/** `root` and every process descending from it (Linux; empty elsewhere). */
export function processTree(root: number): number[] {
  let processes: ProcessStat[];
  try {
    processes = readdirSync("/proc")
      .filter((entry) => /^\d+$/.test(entry))
      .flatMap(readProcess);
  } catch {
    return [];
  }
  const byPid = new Map(processes.map((stat) => [stat.pid, stat]));
  return processes.filter((stat) => descendsFrom(stat, [root], byPid)).map((stat) => stat.pid);
}
