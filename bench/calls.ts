/**
 * The calls issue's measurements (#19, "Measured in bench/"), against the production
 * server on a fresh database and Debian's Chromium with fake camera and microphone:
 * call set-up time, CPU and upstream per participant in a video and an audio mesh,
 * and the signaling frames one room relays per second. Prints figures and ratios;
 * never fails on a figure, only when a part cannot run.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx node bench/calls.ts [--quick] [--part setup,mesh,signaling]
 */
import type { Browser } from "playwright-core";
import { cleanUpOnAbnormalExit, cleanup, onCleanup } from "./cleanup.ts";
import { commandLine, machineLine } from "./report.ts";
import { CALL_USAGE, pagesNeeded, parseCallFlags } from "./calls/call-flags.ts";
import { launchCallBrowser, leaveIfInCall, openCallPage, type CallPage } from "./calls/call-pages.ts";
import { startCallWorld } from "./calls/call-world.ts";
import { holdMesh, printMeshResults, type MeshResult } from "./calls/mesh-load.ts";
import { measureSetupTime } from "./calls/setup-time.ts";
import { measureSignaling, printSignalingResults, type SignalingResult } from "./calls/signaling-rate.ts";

/** Signing pages in a few at a time: each runs the app and sets up its encryption device. */
const SIGN_IN_CONCURRENCY = 3;

const options = (() => {
  try {
    return parseCallFlags(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
})();
if (options === "help") {
  console.log(CALL_USAGE);
  process.exit(0);
}
cleanUpOnAbnormalExit();
console.log(`command:  ${commandLine()}`);
console.log(`machine:  ${machineLine()}`);
const started = performance.now();
const world = await startCallWorld();
try {
  const pageCount = pagesNeeded(options);
  if (pageCount > 0) {
    const browser = await launchCallBrowser();
    onCleanup("close Chromium", () => browser.close());
    console.log(`browser:  Chromium ${browser.version()} with fake devices, one context (person, device) per page`);
    const pages = await openPages(browser, pageCount);
    if (options.parts.includes("setup")) {
      await measureSetupTime(pages, options.setupSizes, options.joins);
    }
    if (options.parts.includes("mesh")) {
      const results: MeshResult[] = [];
      const video = await largestMesh(pages, options.videoMesh, true, options.holdSeconds);
      if (video) results.push(video);
      const audio = await largestMesh(pages, options.audioMesh, false, options.holdSeconds);
      if (audio) results.push(audio);
      printMeshResults(results);
      console.log(
        "note: every page, the server, PostgreSQL and the bench share this machine's " +
          "cores: CPU per person is an upper bound of what one person's computer spends",
      );
    }
  }
  if (options.parts.includes("signaling")) {
    const results: SignalingResult[] = [];
    for (const size of options.signalingSizes) {
      results.push(await measureSignaling(world, size, options.signalingSeconds, options.window));
    }
    printSignalingResults(results, options.window);
    console.log(
      "note: the bench's server lifts SOCKET_FRAMES_PER_SECOND (10/s for a person's socket) to 100,000, " +
        "so these senders are held back only by the room",
    );
  }
  console.log(`\ndone in ${Math.round((performance.now() - started) / 1000)} s`);
} catch (error) {
  // Playwright appends the browser's whole log to its errors: the first line and the stack say what failed.
  const lines = String((error as Error).stack ?? error).split("\n");
  const where = lines.filter((line) => /^\s+at /.test(line)).slice(0, 6);
  console.error(`calls bench failed: ${[lines[0], ...where].join("\n")}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}

/**
 * The mesh at `size`, or, when its pages do not all receive each other in time on this
 * machine, the largest of a few smaller sizes that does (said in the output).
 */
async function largestMesh(pages: CallPage[], size: number, withVideo: boolean, holdSeconds: number) {
  for (let attempt = size; attempt >= 2; attempt = attempt > 3 ? Math.floor((attempt * 2) / 3) : attempt - 1) {
    try {
      const result = await holdMesh(world.bench, pages, attempt, withVideo, holdSeconds);
      if (attempt < size)
        console.log(`note: the ${withVideo ? "video" : "audio"} mesh measured ${attempt} people, not ${size}`);
      return result;
    } catch (error) {
      console.log(
        `note: a ${withVideo ? "video" : "audio"} mesh of ${attempt} pages did not run here ` +
          `(${(error as Error).message.split("\n")[0]}); trying fewer`,
      );
      for (const person of pages) await leaveIfInCall(person).catch(() => {});
    }
  }
  return undefined;
}

/** `count` people, each signed in on a page of their own; prints how long that took. */
async function openPages(browser: Browser, count: number): Promise<CallPage[]> {
  const opening = performance.now();
  const accounts = await world.people("person", count);
  const pages: CallPage[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(SIGN_IN_CONCURRENCY, count) }, async () => {
      while (next < count) {
        const index = next++;
        pages[index] = await openCallPage(browser, world.bench.server.url, accounts[index]!.username, index);
      }
    }),
  );
  console.log(`pages:    ${count} signed in, in ${Math.round((performance.now() - opening) / 1000)} s`);
  return pages;
}
