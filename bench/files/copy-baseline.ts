/**
 * The yardstick for file transfers: a plain `cp` of the same bytes on the same disk
 * (the folder beside the server's UPLOAD_DIR), timed from spawn to exit. The source
 * was just written, so it is in the page cache, as an upload's bytes in the bench's
 * memory are: both sides read from memory and write to the same filesystem.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Writes `files` under `directory` (created) as 0, 1, 2…; returns the directory. */
export function writeFiles(directory: string, files: Uint8Array[]): string {
  mkdirSync(directory, { recursive: true });
  files.forEach((bytes, index) => writeFileSync(join(directory, String(index)), bytes));
  return directory;
}

/** Seconds `cp -r from to` takes (the best of `runs`, each to a fresh target). */
export function copySeconds(from: string, to: string, runs = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const copy = spawnSync("cp", ["-r", from, `${to}-${run}`], { stdio: "inherit" });
    const seconds = (performance.now() - started) / 1000;
    if (copy.status !== 0) throw new Error(`cp -r ${from} exited with ${copy.status}`);
    best = Math.min(best, seconds);
  }
  return best;
}
