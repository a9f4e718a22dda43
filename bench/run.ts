/**
 * Chatalot's load bench (`npm run bench`): the messaging issue's benchmarks, each
 * against the production server (scripts/serve.sh + workerd) on a fresh database:
 * throughput and latency against a reference broadcast server, idle sockets,
 * catch-up after a restart, and history pages from a large channel. It reports;
 * it never fails on a threshold. See bench/README.md.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { root } from "../test/support/server.ts";
import { runCatchUp } from "./catch-up.ts";
import { cleanUpOnAbnormalExit, cleanup } from "./cleanup.ts";
import { FlagError, readFlags, USAGE, type BenchOptions, type ScenarioName } from "./flags.ts";
import { runHistory } from "./history.ts";
import { runIdleSockets } from "./idle-sockets.ts";
import { commandLine, machineLine } from "./report.ts";
import { runThroughput } from "./throughput.ts";

const SCENARIO_RUNS: Record<ScenarioName, (options: BenchOptions) => Promise<void>> = {
  throughput: runThroughput,
  idle: runIdleSockets,
  "catch-up": runCatchUp,
  history: runHistory,
};

async function main(options: BenchOptions): Promise<void> {
  console.log("Chatalot bench");
  console.log(`command:  ${commandLine()}`);
  console.log(`machine:  ${machineLine()}`);
  if (!existsSync(join(root, "dist", "worker", "index.js"))) {
    throw new Error("the server is not built: run `npm run build:server` first");
  }
  const started = performance.now();
  const failed: ScenarioName[] = [];
  for (const scenario of options.scenarios) {
    console.log(`\n=== ${scenario} ===`);
    const scenarioStart = performance.now();
    try {
      await SCENARIO_RUNS[scenario](options);
    } catch (error) {
      // One scenario that cannot run should not cost the others' figures.
      console.error(`${scenario} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      failed.push(scenario);
    } finally {
      // Each scenario has its own server and database: stop and drop them before the next.
      await cleanup();
    }
    console.log(`(${scenario}: ${((performance.now() - scenarioStart) / 1000).toFixed(0)} s)`);
  }
  console.log(`\nbench done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (failed.length > 0) throw new Error(`these scenarios could not run: ${failed.join(", ")}`);
}

cleanUpOnAbnormalExit();
try {
  await main(readFlags(process.argv.slice(2)));
} catch (error) {
  if (error instanceof FlagError) console.error(`${error.message}\n${USAGE}`);
  else console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
