/**
 * Scenario 4 of the messaging issue, catch-up after a restart: channels x members
 * readers follow their channels live; the server is stopped and a new one started
 * on the same database, room storage and keys; one writer per channel then sends
 * the messages the readers miss; finally every reader reconnects at once and
 * resumes from the last event it saw. Measured: the time until every reader has its
 * `synced`, and whether each got exactly the messages it missed, in order.
 */
import { startBenchServer } from "./bench-server.ts";
import { countStoredMessages } from "./bench-database.ts";
import { Reader, Writer } from "./catch-up-client.ts";
import { printCatchUp, printVerdicts } from "./catch-up-report.ts";
import { inParallel } from "./chatalot-api.ts";
import { prepareChatalot } from "./chatalot-target.ts";
import { cpuPercent, sampleCpu } from "./cpu-usage.ts";
import type { BenchOptions } from "./flags.ts";

/** Messages per channel the readers see live before the restart. */
const LIVE_MESSAGES = 5;
/** Writers keep this many messages unacknowledged. */
const WRITE_WINDOW = 8;
const CONNECT_CONCURRENCY = 16;
/** The reconnecting herd: this many readers dial and resume at once. */
const RECONNECT_CONCURRENCY = 64;
const WAIT_TIMEOUT_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (since: number) => (performance.now() - since) / 1000;

export async function runCatchUp(options: BenchOptions): Promise<void> {
  const bench = await startBenchServer("catch-up", options);
  const { channels, members, missed } = options;
  const readerCount = channels * members;
  console.log(
    `load:     ${readerCount} readers in ${channels} channels of ${members}; ${LIVE_MESSAGES} live messages a channel, ` +
      `restart, then ${missed} missed messages a channel; readers reconnect ${RECONNECT_CONCURRENCY} at a time`,
  );
  const setupStart = performance.now();
  const { api, accounts, target } = await prepareChatalot(bench.server.url, {
    sockets: readerCount + channels,
    channels,
  });
  console.log(
    `setup:    ${channels} channels in ${seconds(setupStart).toFixed(1)} s; ` +
      `${accounts.count} accounts, registered while the sockets connect`,
  );
  // Writers take the socket slots after the readers' (slots decide the account).
  const dial = (channel: number, slot: number) => target.dial(target.channels[channel]!, slot);

  const readers = Array.from({ length: readerCount }, (_, index) => new Reader(index, Math.floor(index / members)));
  const writers = Array.from({ length: channels }, (_, channel) => new Writer(channel));
  const connectStart = performance.now();
  await inParallel(readerCount, CONNECT_CONCURRENCY, async (index) => {
    await readers[index]!.connect(await dial(readers[index]!.channel, index));
  });
  await Promise.all(
    writers.map(async (writer) => writer.connect(await dial(writer.channel, readerCount + writer.channel))),
  );
  console.log(`connect:  ${readerCount + channels} sockets in ${seconds(connectStart).toFixed(1)} s`);

  const live = await Promise.all(
    writers.map((writer) => writer.send(LIVE_MESSAGES, WRITE_WINDOW, options.payloadBytes)),
  );
  const liveEvents = live.map((acked) => Math.max(0, ...acked.map((message) => message.event)));
  await waitFor(() => readers.every((reader) => reader.lastEvent === liveEvents[reader.channel]), "live delivery");

  const { stopSeconds, startSeconds, killed } = await bench.restart();
  api.baseUrl = bench.server.url;
  await waitFor(() => readers.every((reader) => reader.closeCode !== undefined), "the readers to see the restart");
  const stillDraining =
    killed > 0 ? `; workerd still served the open sockets, so it was killed (as docker stop would)` : "";
  console.log(
    `restart:  server stopped in ${stopSeconds.toFixed(1)} s${stillDraining}; a new one (same database, room storage, ` +
      `keys) ready in ${startSeconds.toFixed(1)} s; ${readers.length} readers saw their socket close`,
  );

  const writeStart = performance.now();
  await Promise.all(
    writers.map(async (writer) => writer.connect(await dial(writer.channel, readerCount + writer.channel))),
  );
  const missedByChannel = await Promise.all(
    writers.map((writer) => writer.send(missed, WRITE_WINDOW, options.payloadBytes)),
  );
  const written = missedByChannel.reduce((sum, acked) => sum + acked.length, 0);
  const writeSeconds = seconds(writeStart);
  console.log(
    `missed:   ${written} messages written while the readers were away in ${writeSeconds.toFixed(1)} s ` +
      `(${Math.round(written / writeSeconds)}/s, writers reconnecting included)`,
  );
  for (const writer of writers) writer.close();

  await bench.refreshCpuGroups();
  const cpuBefore = sampleCpu(bench.cpuGroups);
  const catchUpStart = performance.now();
  let synced = 0;
  await inParallel(readerCount, RECONNECT_CONCURRENCY, async (index) => {
    const reader = readers[index]!;
    await reader.resume(await dial(reader.channel, index), () => synced++);
  });
  const dialledSeconds = seconds(catchUpStart);
  await waitFor(() => synced === readerCount, "every reader's synced frame");
  const catchUpSeconds = seconds(catchUpStart);
  const cpu = cpuPercent(cpuBefore, sampleCpu(bench.cpuGroups));
  for (const reader of readers) reader.close();

  printCatchUp({ readers, synced, dialledSeconds, catchUpSeconds, catchUpStart, cpu, groups: bench.cpuGroups });
  printVerdicts(readers, missedByChannel);
  const stored = await countStoredMessages(bench.database);
  const acked = channels * LIVE_MESSAGES + written;
  console.log(
    `stored:   ${stored} message rows; ${acked} acked` +
      (stored === acked ? ": every ack is a stored row" : ": MISMATCH"),
  );
}

/** Waits until `isDone()`; on timeout says so and goes on, so the figures show what went wrong. */
async function waitFor(isDone: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + WAIT_TIMEOUT_MS;
  while (!isDone()) {
    if (performance.now() > deadline) {
      console.log(`warning:  gave up waiting for ${what} after ${WAIT_TIMEOUT_MS / 1000} s`);
      return;
    }
    await sleep(10);
  }
}
