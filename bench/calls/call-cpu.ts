/**
 * CPU groups for the calls bench: the server, PostgreSQL, Chromium (every process of
 * the one browser all pages share) and the bench's own Node process. Chromium is a
 * child of the bench, so it is named before "load gen", which would otherwise claim it.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { BenchServer } from "../bench-server.ts";
import type { CpuGroup } from "../cpu-usage.ts";

export async function callCpuGroups(bench: BenchServer): Promise<CpuGroup[]> {
  await bench.refreshCpuGroups();
  const [server, postgres, loadGenerator] = bench.cpuGroups;
  return [server!, postgres!, { name: "chromium", rootPids: chromiumPids() }, loadGenerator!];
}

/** Our children whose command line names Chromium (Debian's /usr/bin/chromium execs the real binary). */
function chromiumPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("chromium")) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Above this (% of one core), something outside the bench competed for the CPU (as report.ts says it). */
const OTHER_LOAD_PERCENT = 25;

/** A line saying a window's figures are low because other processes were busy, or nothing. */
export function busyMachineNote(what: string, cpu: Map<string, number>): string | undefined {
  const other = cpu.get("other") ?? 0;
  if (other < OTHER_LOAD_PERCENT) return undefined;
  return `note: other processes took ${Math.round(other)}% of a core during ${what}: its figures are disturbed; rerun on a quiet machine`;
}
