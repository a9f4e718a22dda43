/**
 * Resident memory of the server's processes from /proc: scripts/serve.sh starts two
 * workerd processes, the server (every isolate, room and socket) and the password
 * hasher, plus a shell. Linux only; elsewhere the list is empty.
 */
import { readFileSync } from "node:fs";
import { processTree } from "./cpu-usage.ts";

export interface ProcessMemory {
  pid: number;
  /** "workerd server", "workerd hasher", or the command's name. */
  role: string;
  /** VmRSS: resident pages, including the mapped parts of the 160 MB workerd binary. */
  residentBytes: number;
  /** RssAnon: the process's own heap and stacks, without file-backed pages. */
  anonymousBytes: number;
}

export function serverMemory(rootPid: number): ProcessMemory[] {
  return processTree(rootPid).flatMap((pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kilobytes = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
      return [
        {
          pid,
          role: roleOf(pid),
          residentBytes: kilobytes("VmRSS") * 1024,
          anonymousBytes: kilobytes("RssAnon") * 1024,
        },
      ];
    } catch {
      return []; // the process ended while we looked
    }
  });
}

/** The workerd processes' total: what the idle-capacity target is about. */
export function workerdBytes(processes: ProcessMemory[], field: "residentBytes" | "anonymousBytes"): number {
  return processes.filter((process) => process.role.startsWith("workerd")).reduce((sum, p) => sum + p[field], 0);
}

function roleOf(pid: number): string {
  const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  const command = args[0]?.split("/").pop() ?? "?";
  if (command !== "workerd") return command;
  // serve.sh runs the hasher with the configuration named hasherProcess (workerd/chatalot.capnp).
  return args.includes("hasherProcess") ? "workerd hasher" : "workerd server";
}

export const megabytes = (bytes: number) => bytes / 2 ** 20;
