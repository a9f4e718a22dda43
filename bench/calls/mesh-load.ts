/**
 * CPU and upstream bandwidth per participant in a mesh (the calls issue's second
 * figure, and the ceiling the README states): `size` pages join the voice channel's
 * call, and once every page receives every other, the mesh is held for a window.
 * Upstream is what each page's RTCPeerConnections report sent (outbound-rtp bytesSent,
 * and RTP headers beside it); CPU is the Chromium process tree's, divided by the
 * participants. Every page shares one browser on the bench's machine, so the CPU per
 * participant is an upper bound of what one person's own computer spends.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { BenchServer } from "../bench-server.ts";
import { cpuPercent, sampleCpu } from "../cpu-usage.ts";
import { printTable } from "../report.ts";
import { formatNumber, summarize } from "../stats.ts";
import { busyMachineNote, callCpuGroups } from "./call-cpu.ts";
import { join, leave, sampleOutbound, waitForPeers, type CallPage, type OutboundSample } from "./call-pages.ts";

/** After everyone receives everyone: bandwidth estimators ramp up before the window opens (less in a short hold). */
const SETTLE_MS = 3_000;
const settleMs = (holdSeconds: number) => Math.min(SETTLE_MS, (holdSeconds * 1000) / 3);

export interface MeshResult {
  label: string;
  size: number;
  connectSeconds: number;
  holdSeconds: number;
  /** kbit/s per participant (payload; payload and RTP headers), and per peer connection. */
  upstream: { p50: number; max: number; withHeaders: number; perPeer: number };
  cpu: Map<string, number>;
}

export async function holdMesh(
  bench: BenchServer,
  pages: CallPage[],
  size: number,
  withVideo: boolean,
  holdSeconds: number,
): Promise<MeshResult> {
  const people = pages.slice(0, size);
  const connecting = performance.now();
  for (const person of people) await join(person, withVideo);
  for (const person of people) await waitForPeers(person, size - 1, withVideo);
  const connectSeconds = (performance.now() - connecting) / 1000;
  await sleep(settleMs(holdSeconds));
  const groups = await callCpuGroups(bench);
  const before = await Promise.all(people.map(sampleOutbound));
  const cpuBefore = sampleCpu(groups);
  await sleep(holdSeconds * 1000);
  const cpuAfter = sampleCpu(groups);
  const after = await Promise.all(people.map(sampleOutbound));
  for (const person of people) await leave(person);
  const perParticipant = people.map((_, index) => rates(before[index]!, after[index]!));
  const payload = summarize(perParticipant.map((rate) => rate.bytes));
  const withHeaders = perParticipant.reduce((sum, rate) => sum + rate.withHeaders, 0) / size;
  return {
    label: withVideo ? "video" : "audio",
    size,
    connectSeconds,
    holdSeconds,
    upstream: {
      p50: payload.p50,
      max: payload.max,
      withHeaders,
      perPeer: perParticipant.reduce((sum, rate) => sum + rate.bytes, 0) / size / (size - 1),
    },
    cpu: cpuPercent(cpuBefore, cpuAfter),
  };
}

/** A page's upstream in kbit/s over the window, from connections open at both samples (by position). */
function rates(before: OutboundSample, after: OutboundSample): { bytes: number; withHeaders: number } {
  const seconds = (after.at - before.at) / 1000;
  let bytes = 0;
  let headers = 0;
  after.connections.forEach((connection, index) => {
    const earlier = before.connections[index] ?? { bytes: 0, headerBytes: 0 };
    bytes += connection.bytes - earlier.bytes;
    headers += connection.headerBytes - earlier.headerBytes;
  });
  const kbits = (value: number) => (value * 8) / 1000 / seconds;
  return { bytes: kbits(bytes), withHeaders: kbits(bytes + headers) };
}

export function printMeshResults(results: MeshResult[]): void {
  const n = formatNumber;
  printTable(
    "Mesh held after everyone received everyone: upstream per participant, kbit/s (outbound-rtp bytesSent)",
    ["mesh", "people", "connect s", "held s", "p50", "max", "with RTP headers", "per peer"],
    results.map((result) => [
      result.label,
      String(result.size),
      n(result.connectSeconds),
      n(result.holdSeconds),
      n(result.upstream.p50),
      n(result.upstream.max),
      n(result.upstream.withHeaders),
      n(result.upstream.perPeer),
    ]),
  );
  printTable(
    "CPU while held, % of one core (chromium / people: every page shares one browser on this machine)",
    ["mesh", "people", "chromium", "per person", "server", "postgres", "load gen", "other", "machine"],
    results.map((result) => {
      const cpu = (group: string) => result.cpu.get(group) ?? NaN;
      return [
        result.label,
        String(result.size),
        n(cpu("chromium")),
        n(cpu("chromium") / result.size),
        n(cpu("server")),
        n(cpu("postgres")),
        n(cpu("load gen")),
        n(cpu("other")),
        n(cpu("machine")),
      ];
    }),
  );
  for (const result of results) {
    const note = busyMachineNote(`the ${result.size}-person ${result.label} mesh`, result.cpu);
    if (note) console.log(note);
  }
}
