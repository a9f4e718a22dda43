/**
 * Stopping the server for good. test/support/server.ts stops scripts/serve.sh with
 * SIGTERM to its process group, but workerd drains on SIGTERM: it stops listening
 * and goes on serving open connections until their clients leave, so with sockets
 * open it outlives serve.sh (which exits at once). Like Docker's stop timeout, the
 * bench waits a grace period, then kills what is left of the group.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { RunningServer } from "../test/support/server.ts";

/** Docker's default `stop` timeout before SIGKILL. */
export const STOP_GRACE_MS = 10_000;
const POLL_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stops the server; returns how many of its processes outlived the grace period and were killed. */
export async function stopServerForGood(server: RunningServer): Promise<number> {
  const group = server.process.pid!;
  await server.stop();
  const deadline = performance.now() + STOP_GRACE_MS;
  while (livingMembers(group).length > 0 && performance.now() < deadline) await sleep(POLL_MS);
  const survivors = livingMembers(group);
  for (const pid of survivors) process.kill(pid, "SIGKILL");
  while (livingMembers(group).length > 0) await sleep(POLL_MS);
  return survivors.length;
}

/**
 * Processes of the group that are not zombies: an orphan's zombie waits for PID 1 to
 * reap it, which some container inits never do, so signalling the group is no test.
 */
function livingMembers(group: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
    return []; // no /proc: trust server.stop()
  }
  return entries.flatMap((entry) => {
    try {
      const text = readFileSync(`/proc/${entry}/stat`, "utf8");
      // After the parenthesised command: state, parent, process group, ...
      const [state, , processGroup] = text.slice(text.lastIndexOf(")") + 2).split(" ");
      return Number(processGroup) === group && state !== "Z" ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}
