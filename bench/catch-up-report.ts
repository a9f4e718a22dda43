/**
 * The catch-up scenario's report: how long until every reader had its `synced`, and
 * whether each got exactly the messages it missed, in order, and nothing else.
 */
import type { Reader } from "./catch-up-client.ts";
import type { CpuGroup } from "./cpu-usage.ts";
import { printTable } from "./report.ts";
import { formatNumber, summarize } from "./stats.ts";

/** The target for 1,000 clients. */
const TARGET_SECONDS = 10;

export function printCatchUp(run: {
  readers: Reader[];
  synced: number;
  dialledSeconds: number;
  catchUpSeconds: number;
  catchUpStart: number;
  cpu: Map<string, number>;
  groups: CpuGroup[];
}): void {
  const { readers, synced, dialledSeconds, catchUpSeconds, catchUpStart, cpu, groups } = run;
  const toSynced = summarize(
    readers.flatMap((reader) => (reader.syncedAt === undefined ? [] : [reader.syncedAt - catchUpStart])),
  );
  printTable(
    "Catch-up: from the first reconnect until each reader's synced frame (ms)",
    [
      "readers synced",
      "all dialled (s)",
      "all synced (s)",
      "p50",
      "p95",
      "p99",
      "max",
      "resumes",
      "sync pages",
      "messages synced",
    ],
    [
      [
        `${synced}/${readers.length}`,
        formatNumber(dialledSeconds),
        formatNumber(catchUpSeconds),
        ...[toSynced.p50, toSynced.p95, toSynced.p99, toSynced.max].map(formatNumber),
        String(readers.reduce((sum, reader) => sum + reader.resumes, 0)),
        String(readers.reduce((sum, reader) => sum + reader.syncPages, 0)),
        String(readers.reduce((sum, reader) => sum + reader.resumed.length, 0)),
      ],
    ],
  );
  console.log(
    `target:   every client caught up within ${TARGET_SECONDS} s: ${formatNumber(catchUpSeconds)} s ` +
      `(${catchUpSeconds < TARGET_SECONDS ? "met" : "NOT met"} at ${readers.length} clients)`,
  );
  console.log(
    `CPU during catch-up, % of one core: ` +
      [...groups.map((group) => group.name), "other"]
        .map((name) => `${name} ${formatNumber(cpu.get(name) ?? NaN)}`)
        .join(", "),
  );
}

/** Whether each reader got exactly its channel's missed messages, in event order, and nothing else. */
export function printVerdicts(readers: Reader[], missedByChannel: { seq: number; event: number }[][]): void {
  let exact = 0;
  let missing = 0;
  let extra = 0;
  let misordered = 0;
  let wrongSynced = 0;
  let wrongWelcome = 0;
  for (const reader of readers) {
    const expected = [...missedByChannel[reader.channel]!].sort((a, b) => a.event - b.event);
    const got = reader.resumed;
    const finalEvent = expected.at(-1)?.event ?? reader.lastEvent;
    if (reader.syncedEvent !== finalEvent) wrongSynced++;
    if (reader.welcomeEvent !== finalEvent) wrongWelcome++;
    const expectedSeqs = new Set(expected.map((message) => message.seq));
    const gotSeqs = new Set(got.map((message) => message.seq));
    if (expected.some((message) => !gotSeqs.has(message.seq))) missing++;
    else if (got.length !== expected.length || got.some((message) => !expectedSeqs.has(message.seq))) extra++;
    else if (
      got.some((message, index) => message.seq !== expected[index]!.seq || message.event !== expected[index]!.event)
    )
      misordered++;
    else exact++;
  }
  const live = readers.reduce((sum, reader) => sum + reader.liveWhileResuming, 0);
  const liveOutOfOrder = readers.reduce((sum, reader) => sum + reader.outOfOrder, 0);
  console.log(
    `\ncorrect:  ${exact}/${readers.length} readers got exactly their missed messages in order; ` +
      `missing some ${missing}, extra or duplicates ${extra}, misordered ${misordered}; ` +
      `synced.lastEvent wrong ${wrongSynced}, welcome.lastEvent wrong ${wrongWelcome}; ` +
      `live frames while resuming ${live}; live relays out of order before the restart ${liveOutOfOrder}`,
  );
  for (const error of readers.flatMap((reader) => reader.errors).slice(0, 5)) console.log(`  ${error}`);
}
