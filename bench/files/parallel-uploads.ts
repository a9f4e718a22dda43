/**
 * The server's memory while many uploads stream at once: `count` files of `mebibytes`
 * each, sent by one person in parallel (each file's parts one after another), the
 * workerd server's memory sampled throughout. Run at two file sizes, it tells a server
 * that streams parts to disk (the growth stays with the number of uploads) from one
 * that holds whole files (the growth follows the bytes).
 */
import type { Account } from "../chatalot-api.ts";
import { inParallel } from "../chatalot-api.ts";
import type { FileWorld } from "./file-world.ts";
import { memoryNow, peakMemoryDuring, type MemoryFigures } from "./memory-watch.ts";
import { randomFiles, upload } from "./transfer.ts";

/** Time for the last phase's garbage to be collected before "before" is read. */
const SETTLE_MS = 3_000;

export interface ParallelUploads {
  count: number;
  mebibytes: number;
  before: MemoryFigures;
  peak: MemoryFigures;
  seconds: number;
}

export async function parallelUploads(
  world: FileWorld,
  person: Account,
  count: number,
  mebibytes: number,
): Promise<ParallelUploads> {
  const files = randomFiles(count, mebibytes * 2 ** 20);
  const serverPid = world.bench.server.process.pid!;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const before = memoryNow(serverPid);
  const started = performance.now();
  const { peak } = await peakMemoryDuring(serverPid, () =>
    inParallel(count, count, async (index) => {
      await upload(world.api, person, world.channelId, files[index]!);
    }),
  );
  return { count, mebibytes, before, peak, seconds: (performance.now() - started) / 1000 };
}
