/**
 * One idle-capacity measurement against one target: connect the sockets (reading
 * the server's memory at each quarter), stay quiet, read it again, then send one
 * message per channel twice, one at a time: round 1 wakes hibernated rooms, round 2
 * finds them warm.
 */
import { cpuPercent, sampleCpu, type CpuGroup } from "./cpu-usage.ts";
import type { MemorySample } from "./idle-report.ts";
import { LoadSession, type Member } from "./load-session.ts";
import { megabytes, serverMemory } from "./process-memory.ts";
import { drain } from "./scenarios.ts";
import { formatNumber, summarize, type Summary } from "./stats.ts";
import type { Target } from "./target.ts";

/** Many in flight: the server's one thread, not the round trips, should be the limit. */
const CONNECT_CONCURRENCY = 32;
const MEMORY_SAMPLE_EVERY_MS = 5_000;
const DRAIN_TIMEOUT_MS = 30_000;
const SETTLE_TIMEOUT_MS = 15_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface IdleResult {
  target: string;
  sockets: number;
  connectSeconds: number;
  memory: MemorySample[];
  /** The server process's resident MB every few seconds while idle. */
  timeline: string[];
  idleCpu: Map<string, number>;
  stillOpen: number;
  wake: { ack: Summary; relay: Summary };
  warm: { ack: Summary; relay: Summary };
  counts: ReturnType<LoadSession["counts"]>;
  errorSamples: string[];
}

export async function measureIdle(
  target: Target,
  server: { rootPid: number; cpuGroups: CpuGroup[] },
  options: { members: number; payloadBytes: number; idleSeconds: number },
): Promise<IdleResult> {
  const sockets = target.channels.length * options.members;
  const memory: MemorySample[] = [{ phase: "before connecting", processes: serverMemory(server.rootPid) }];
  // Memory at each quarter of the sockets: the slope between them is the cost of one
  // more socket, apart from what the first ones cost once (compiled code, pools, caches).
  const quarters = [1, 2, 3, 4].map((quarter) => Math.round((sockets * quarter) / 4));
  const connectStart = performance.now();
  const session = await LoadSession.connect(target, target.channels, options.members, options.payloadBytes, {
    concurrency: CONNECT_CONCURRENCY,
    onConnected: (count) => {
      if (count !== quarters[0]) return;
      quarters.shift();
      memory.push({ phase: `${count} connected`, processes: serverMemory(server.rootPid) });
    },
  });
  const connectSeconds = (performance.now() - connectStart) / 1000;
  console.log(
    `  ${target.name}: ${sockets} sockets connected in ${connectSeconds.toFixed(1)} s (${Math.round(sockets / connectSeconds)}/s)`,
  );
  try {
    const cpuBefore = sampleCpu(server.cpuGroups);
    const timeline: string[] = [];
    for (let waited = 0; waited < options.idleSeconds * 1000;) {
      const step = Math.min(MEMORY_SAMPLE_EVERY_MS, options.idleSeconds * 1000 - waited);
      await sleep(step);
      waited += step;
      const process = serverMemory(server.rootPid).find((candidate) => candidate.role === "workerd server");
      timeline.push(`${Math.round(waited / 1000)} s ${formatNumber(megabytes(process?.residentBytes ?? NaN))}`);
    }
    const idleCpu = cpuPercent(cpuBefore, sampleCpu(server.cpuGroups));
    memory.push({ phase: `after ${options.idleSeconds} s idle`, processes: serverMemory(server.rootPid) });
    const stillOpen = session.members.filter((member) => member.socket.readyState === member.socket.OPEN).length;

    const senders = target.channels.map((_, channel) => session.members[channel * options.members]!);
    const wake = await oneMessageEach(session, senders);
    const warm = await oneMessageEach(session, senders);
    memory.push({ phase: "after the messages", processes: serverMemory(server.rootPid) });
    const counts = session.counts();
    return {
      ...{ target: target.name, sockets, connectSeconds, memory, timeline, idleCpu, stillOpen, wake, warm, counts },
      errorSamples: [...session.errorSamples],
    };
  } finally {
    await session.close();
  }
}

/** Each sender sends one message and waits for its ack before the next sends. */
async function oneMessageEach(session: LoadSession, senders: Member[]): Promise<{ ack: Summary; relay: Summary }> {
  session.startMeasuring();
  for (const sender of senders) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack within ${SETTLE_TIMEOUT_MS} ms`)), SETTLE_TIMEOUT_MS);
      session.onSettle = () => {
        clearTimeout(timer);
        resolve();
      };
      session.send(sender);
    });
  }
  session.onSettle = undefined;
  await drain(session, DRAIN_TIMEOUT_MS);
  return { ack: summarize(session.ackLatencies), relay: summarize(session.deliveryLatencies) };
}
