/**
 * Signaling frames a room relays per second (the calls issue's third figure): `size`
 * Node sockets (ws, as bench/channel-socket.ts) join the voice channel's call and send
 * `call.speaking` toggles, each relayed by the room to every other participant. A closed
 * loop: each sender keeps at most `window` toggles on the way to its watcher (the next
 * socket), so the room is sent only as much as it passes on. `call.signal` candidates
 * are held to CALL_CANDIDATES_PER_MINUTE per participant, far below what a room relays,
 * so speaking toggles are what measure the relay. The bench's server runs with
 * SOCKET_FRAMES_PER_SECOND lifted (bench-server.ts); a person's socket is held to 10/s.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { ChannelSocket } from "../channel-socket.ts";
import { dialChatalot } from "../chatalot-target.ts";
import { cpuPercent, sampleCpu } from "../cpu-usage.ts";
import { busyMachineNote } from "./call-cpu.ts";
import { printTable } from "../report.ts";
import { formatNumber, summarize, type Summary } from "../stats.ts";
import type { CallWorld } from "./call-world.ts";

const DRAIN_MS = 1_000;
const JOIN_TIMEOUT_MS = 30_000;

export interface SignalingResult {
  size: number;
  seconds: number;
  sentPerSecond: number;
  receivedPerSecond: number;
  delivered: number;
  expected: number;
  errors: string[];
  latency: Summary;
  cpu: Map<string, number>;
}

interface Participant {
  socket: ChannelSocket;
  participantId: string;
  sentAt: number[];
  /** Toggles received from each sender, by its index. */
  receivedFrom: number[];
}

export async function measureSignaling(
  world: CallWorld,
  size: number,
  seconds: number,
  window: number,
): Promise<SignalingResult> {
  const accounts = await world.people(`signal${size}`, size);
  const errors: string[] = [];
  const participants: Participant[] = [];
  for (const account of accounts) {
    const socket = await ChannelSocket.open(await dialChatalot(world.api, account, world.voiceChannelId));
    participants.push({ socket, participantId: await joinCall(socket), sentAt: [], receivedFrom: Array(size).fill(0) });
  }
  const indexOf = new Map(participants.map((participant, index) => [participant.participantId, index]));
  let isSending = false;
  let windowEnd = Infinity;
  let receivedInWindow = 0;
  const latencies: number[] = [];
  const pump = (sender: number) => {
    const watcher = participants[(sender + 1) % size]!;
    const me = participants[sender]!;
    while (isSending && me.sentAt.length - watcher.receivedFrom[sender]! < window) {
      me.sentAt.push(performance.now());
      me.socket.send({ type: "call.speaking", speaking: me.sentAt.length % 2 === 1 });
    }
  };
  participants.forEach((participant, receiver) => {
    participant.socket.onFrame = (frame) => {
      const call = frame as unknown as { type: string; participantId?: string; code?: string; message?: string };
      if (call.type === "error") errors.push(`${call.code}: ${call.message}`);
      if (call.type !== "call.speaking") return;
      const sender = indexOf.get(call.participantId ?? "");
      if (sender === undefined) return;
      const count = ++participant.receivedFrom[sender]!;
      if (performance.now() <= windowEnd) receivedInWindow++;
      if ((sender + 1) % size !== receiver) return;
      latencies.push(performance.now() - participants[sender]!.sentAt[count - 1]!);
      pump(sender);
    };
  });
  await world.bench.refreshCpuGroups();
  const cpuBefore = sampleCpu(world.bench.cpuGroups);
  const start = performance.now();
  isSending = true;
  for (let sender = 0; sender < size; sender++) pump(sender);
  await sleep(seconds * 1000);
  isSending = false;
  windowEnd = performance.now();
  const cpuAfter = sampleCpu(world.bench.cpuGroups);
  const elapsed = (windowEnd - start) / 1000;
  await sleep(DRAIN_MS);
  const sent = participants.reduce((sum, participant) => sum + participant.sentAt.length, 0);
  const delivered = participants.reduce(
    (sum, participant) => sum + participant.receivedFrom.reduce((total, count) => total + count, 0),
    0,
  );
  for (const participant of participants) {
    participant.socket.send({ type: "call.leave" });
    participant.socket.close();
  }
  return {
    size,
    seconds: elapsed,
    sentPerSecond: sent / elapsed,
    receivedPerSecond: receivedInWindow / elapsed,
    delivered,
    expected: sent * (size - 1),
    errors,
    latency: summarize(latencies),
    cpu: cpuPercent(cpuBefore, cpuAfter),
  };
}

/** Sends `call.join` (no camera, no end-to-end device: the room relays the same either way) and awaits `call.joined`. */
function joinCall(socket: ChannelSocket): Promise<string> {
  const clientId = randomBytes(12).toString("base64url");
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no call.joined within ${JOIN_TIMEOUT_MS} ms`)), JOIN_TIMEOUT_MS);
    socket.onFrame = (frame) => {
      const answer = frame as unknown as { type: string; clientId?: string; participantId?: string; message?: string };
      if (answer.type === "error" && answer.clientId === clientId) {
        clearTimeout(timer);
        reject(new Error(`call.join refused: ${answer.message}`));
      }
      if (answer.type !== "call.joined" || answer.clientId !== clientId) return;
      clearTimeout(timer);
      resolve(answer.participantId!);
    };
    socket.send({
      type: "call.join",
      clientId,
      deviceId: null,
      state: { muted: false, deafened: false, camera: false, screen: false },
    });
  });
}

export function printSignalingResults(results: SignalingResult[], window: number): void {
  const n = formatNumber;
  printTable(
    `Signaling: call.speaking toggles relayed by one room, each sender at most ${window} ahead of its watcher`,
    ["people", "secs", "sent/s", "relayed frames received/s", "delivered/expected", "relay p50 ms", "p95", "p99"],
    results.map((result) => [
      String(result.size),
      n(result.seconds),
      n(result.sentPerSecond),
      n(result.receivedPerSecond),
      `${result.delivered}/${result.expected}`,
      ...[result.latency.p50, result.latency.p95, result.latency.p99].map(n),
    ]),
  );
  printTable(
    "Signaling: CPU during the window, % of one core",
    ["people", "server", "postgres", "load gen", "other", "machine"],
    results.map((result) => [
      String(result.size),
      ...["server", "postgres", "load gen", "other", "machine"].map((group) => n(result.cpu.get(group) ?? NaN)),
    ]),
  );
  for (const result of results) {
    const note = busyMachineNote(`the signaling among ${result.size}`, result.cpu);
    if (note) console.log(note);
  }
  for (const result of results.filter((each) => each.errors.length > 0)) {
    console.log(`${result.size} people: ${result.errors.length} error frames, first: ${result.errors[0]}`);
  }
}
