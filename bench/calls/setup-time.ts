/**
 * Call set-up time (the calls issue's first figure): with N-1 people already in the
 * voice channel's call, the Nth clicks "Join with video"; the time from that click to
 * the first decoded video frame and audio samples from the others, then it leaves,
 * and again. The others stay in the call throughout, as they would.
 */
import { formatNumber, summarize } from "../stats.ts";
import { printTable } from "../report.ts";
import {
  join,
  leave,
  leaveIfInCall,
  STATS_POLL_MS,
  timedJoin,
  waitForPeers,
  type CallPage,
  type JoinTiming,
} from "./call-pages.ts";

export async function measureSetupTime(pages: CallPage[], sizes: number[], joins: number): Promise<void> {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const size of sizes) {
    const present = pages.slice(0, size - 1);
    const joiner = pages[size - 1]!;
    const started = performance.now();
    for (const person of present) await join(person, true);
    for (const person of present) await waitForPeers(person, size - 2, true);
    const timings: JoinTiming[] = [];
    const failures: string[] = [];
    for (let round = 0; round < joins; round++) {
      const timing = await timedJoin(joiner, size - 1, true);
      if ("failure" in timing) failures.push(`join ${round + 1}: ${timing.failure}`);
      else timings.push(timing);
      await ("failure" in timing ? leaveIfInCall(joiner) : leave(joiner));
      // The others have dropped the leaver's connection: the next join starts from the same place.
      for (const person of present) await waitForPeers(person, size - 2, true);
    }
    for (const person of present) await leave(person);
    // A one-line summary now, so a run stopped at a later size still shows this one.
    const everyVideo = summarize(timings.map((timing) => timing.allVideo));
    console.log(
      `set-up:   ${size} people, ${joins} joins in ${Math.round((performance.now() - started) / 1000)} s: ` +
        `every peer's video p50 ${formatNumber(everyVideo.p50)} ms, p95 ${formatNumber(everyVideo.p95)} ms, ` +
        `${failures.length} failed`,
    );
    if (failures.length > 0) {
      notes.push(
        `${size} people: ${failures.length} of ${joins} joins did not receive everyone; first: ${failures[0]}`,
      );
    }
    if (timings.length === 0) continue;
    const figures: [string, (timing: JoinTiming) => number][] = [
      ["first video frame", (timing) => timing.firstVideo],
      ["every peer's video", (timing) => timing.allVideo],
      ["first audio samples", (timing) => timing.firstAudio],
      ["every peer's audio", (timing) => timing.allAudio],
    ];
    for (const [figure, value] of figures) {
      const summary = summarize(timings.map(value));
      rows.push([
        `${size} people`,
        figure,
        String(summary.count),
        // The first join of a page also fetches what later joins reuse (the TURN list, the group's keys).
        formatNumber(value(timings[0]!)),
        ...[summary.p50, summary.p95, summary.max].map(formatNumber),
      ]);
    }
  }
  printTable(
    `Call set-up: click "Join with video" -> first decoded remote media, ms (polled every ${STATS_POLL_MS} ms in the page)`,
    ["call", "figure", "joins", "first join", "p50", "p95", "max"],
    rows,
  );
  for (const note of notes) console.log(`note: ${note}`);
}
