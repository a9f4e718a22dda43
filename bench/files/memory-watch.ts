/**
 * The server's resident memory while something runs: /proc read every few
 * milliseconds for the workerd server process (process-memory.ts; the password
 * hasher, the other workerd, is left out), keeping the peak. Linux only.
 */
import { serverMemory, type ProcessMemory } from "../process-memory.ts";

const SAMPLE_EVERY_MS = 20;

export interface MemoryFigures {
  /** VmRSS of the workerd server: its own heap and the mapped parts of the binary. */
  residentBytes: number;
  /** RssAnon: heap and stacks alone, what holding a file would grow. */
  anonymousBytes: number;
}

const serverOf = (processes: ProcessMemory[]): MemoryFigures => {
  const server = processes.filter((process) => process.role === "workerd server");
  return {
    residentBytes: server.reduce((sum, process) => sum + process.residentBytes, 0),
    anonymousBytes: server.reduce((sum, process) => sum + process.anonymousBytes, 0),
  };
};

export const memoryNow = (serverPid: number): MemoryFigures => serverOf(serverMemory(serverPid));

/** Runs `work` while sampling; resolves with its result and the peak of each figure. */
export async function peakMemoryDuring<T>(
  serverPid: number,
  work: () => Promise<T>,
): Promise<{ result: T; peak: MemoryFigures }> {
  const peak = memoryNow(serverPid);
  const timer = setInterval(() => {
    const now = memoryNow(serverPid);
    peak.residentBytes = Math.max(peak.residentBytes, now.residentBytes);
    peak.anonymousBytes = Math.max(peak.anonymousBytes, now.anonymousBytes);
  }, SAMPLE_EVERY_MS);
  try {
    return { result: await work(), peak };
  } finally {
    clearInterval(timer);
  }
}
