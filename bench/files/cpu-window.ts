/**
 * CPU per process group (server, postgres, load gen, the rest of the machine) while
 * one transfer runs: on 2 cores shared with other work, a slow figure is only the
 * server's when `other` is small.
 */
import type { BenchServer } from "../bench-server.ts";
import { cpuPercent, sampleCpu } from "../cpu-usage.ts";

export const CPU_COLUMNS = ["server", "postgres", "load gen", "other"] as const;

export async function cpuDuring<T>(
  bench: BenchServer,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: Map<string, number> }> {
  await bench.refreshCpuGroups();
  const before = sampleCpu(bench.cpuGroups);
  const result = await work();
  return { result, cpu: cpuPercent(before, sampleCpu(bench.cpuGroups)) };
}

/** The groups' figures as table cells, in % of one core. */
export const cpuCells = (cpu: Map<string, number>): string[] =>
  CPU_COLUMNS.map((group) => (cpu.has(group) ? `${cpu.get(group)!.toFixed(0)} %` : "?"));
