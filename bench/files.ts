/**
 * The files issue's measurements (#20, "Measured in bench/"), against the production
 * server on a fresh database: upload and download throughput for one 100 MiB file and
 * for 200 small images, each against a plain `cp` of the same bytes on the same disk;
 * the server's memory while 20 uploads stream at once, against its idle memory; and
 * the browser's attachment encryption rate in Chromium. Prints figures and ratios;
 * never fails on a figure, only when a part cannot run.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx node bench/files.ts [--quick]
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sealedFileBytes } from "../protocol/index.ts";
import { cleanUpOnAbnormalExit, cleanup } from "./cleanup.ts";
import { browserEncryptionRate } from "./files/browser-encryption.ts";
import { copySeconds, writeFiles } from "./files/copy-baseline.ts";
import { CPU_COLUMNS, cpuCells, cpuDuring } from "./files/cpu-window.ts";
import { startFileWorld, type FileWorld } from "./files/file-world.ts";
import { memoryNow, peakMemoryDuring } from "./files/memory-watch.ts";
import { parallelUploads, type ParallelUploads } from "./files/parallel-uploads.ts";
import { download, randomFiles, upload, type Uploaded } from "./files/transfer.ts";
import { megabytes } from "./process-memory.ts";
import { commandLine, machineLine, printTable } from "./report.ts";

const MiB = 2 ** 20;
/** A person holds at most 50 unsent uploads (UPLOADS_PENDING_MAX): the images are shared out. */
const IMAGES_PER_PERSON = 40;
/** Time for the server to settle after start before its idle memory is read. */
const SETTLE_MS = 3_000;

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
const sizes = values.quick
  ? { bigMiB: 16, images: 20, imageKiB: 50, streams: 20, streamMiB: [1, 4, 16], encryptMiB: 16 }
  : { bigMiB: 100, images: 200, imageKiB: 50, streams: 20, streamMiB: [2, 8, 32], encryptMiB: 100 };

cleanUpOnAbnormalExit();
console.log(`command:  ${commandLine()}`);
console.log(`machine:  ${machineLine()}`);
const started = performance.now();
try {
  // In the browser first, while nothing else runs.
  const rate = await browserEncryptionRate(sizes.encryptMiB);
  printTable(
    `Attachment encryption in ${rate.browser} (e2ee/attachment-crypto.ts, one ${rate.mebibytes} MiB file)`,
    ["step", "", "MiB/s"],
    [
      ["encrypt (seal)", "", rate.encryptMiBPerSecond.toFixed(0)],
      ["decrypt (open)", "", rate.decryptMiBPerSecond.toFixed(0)],
    ],
  );

  const world = await startFileWorld();
  const serverPid = world.bench.server.process.pid!;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const idle = memoryNow(serverPid);
  const [bigOwner, ...imageOwners] = await world.people(1 + Math.ceil(sizes.images / IMAGES_PER_PERSON));
  console.log(`server:   UPLOAD_DIR=${world.uploadDir} (cp copies beside it, on the same disk)`);

  const rows: string[][] = [];
  const big = randomFiles(1, sealedFileBytes(sizes.bigMiB * MiB));
  const bigTransfer = await measureTransfer(world, "big", big, async () => [
    await upload(world.api, bigOwner!, world.channelId, big[0]!),
  ]);
  rows.push(transferRow(`one ${sizes.bigMiB} MiB file`, bigTransfer));

  const images = randomFiles(sizes.images, sealedFileBytes(sizes.imageKiB * 1024));
  const imageTransfer = await measureTransfer(world, "images", images, async () => {
    const uploaded: Uploaded[] = [];
    for (const [index, bytes] of images.entries()) {
      const owner = imageOwners[Math.floor(index / IMAGES_PER_PERSON)]!;
      uploaded.push(await upload(world.api, owner, world.channelId, bytes));
    }
    return uploaded;
  });
  rows.push(transferRow(`${sizes.images} images of ${sizes.imageKiB} KiB`, imageTransfer));
  printTable(
    "Transfers, one request at a time, as one page sends them (ratio: Chatalot's time / cp's; sealed bytes)",
    ["files", "", "MiB", "cp s", "upload s", "upload MiB/s", "× cp", "download s", "download MiB/s", "× cp"],
    rows,
  );
  printTable(
    "CPU during each transfer, in % of one core (other: the rest of the machine; a large figure means a busy machine)",
    ["transfer", "", ...CPU_COLUMNS],
    [
      [`${sizes.bigMiB} MiB upload`, "", ...cpuCells(bigTransfer.uploadCpu)],
      [`${sizes.bigMiB} MiB download`, "", ...cpuCells(bigTransfer.downloadCpu)],
      [`${sizes.images} images upload`, "", ...cpuCells(imageTransfer.uploadCpu)],
      [`${sizes.images} images download`, "", ...cpuCells(imageTransfer.downloadCpu)],
    ],
  );
  console.log(
    `peak server memory during the ${sizes.bigMiB} MiB upload: ${megabytes(bigTransfer.peakBytes).toFixed(0)} MB RSS`,
  );

  const memoryRows: string[][] = [];
  for (const mebibytes of sizes.streamMiB) {
    // Someone new each time: a person holds at most 50 unsent uploads.
    const [streamer] = await world.people(1);
    const run = await parallelUploads(world, streamer!, sizes.streams, mebibytes);
    const label = `${run.count} × ${mebibytes} MiB in ${run.seconds.toFixed(1)} s`;
    memoryRows.push(memoryRow(label, "resident (VmRSS)", run.before.residentBytes, run.peak.residentBytes, run));
    memoryRows.push(memoryRow(label, "anonymous (RssAnon)", run.before.anonymousBytes, run.peak.anonymousBytes, run));
  }
  printTable(
    `The workerd server's memory (${megabytes(idle.residentBytes).toFixed(0)} MB resident, ` +
      `${megabytes(idle.anonymousBytes).toFixed(0)} MB anonymous at start), before and while ${sizes.streams} uploads stream at once`,
    ["uploads", "figure", "before MB", "peak MB", "growth MB", "growth / bytes uploaded"],
    memoryRows,
  );
  console.log(
    "note: a server holding whole files would grow by at least the bytes uploaded, and more with larger files; " +
      "one streaming parts to disk grows with the number of uploads, not their size. Every process shares this machine's cores.",
  );
  console.log(`\ndone in ${Math.round((performance.now() - started) / 1000)} s`);
} catch (error) {
  const lines = String((error as Error).stack ?? error).split("\n");
  console.error(`files bench failed: ${lines.slice(0, 8).join("\n")}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}

interface Transfer {
  bytes: number;
  copySeconds: number;
  uploadSeconds: number;
  downloadSeconds: number;
  peakBytes: number;
  uploadCpu: Map<string, number>;
  downloadCpu: Map<string, number>;
}

/** cp of the same bytes, then the upload (memory sampled), then every file read back, one at a time. */
async function measureTransfer(
  world: FileWorld,
  name: string,
  files: Uint8Array[],
  uploadAll: () => Promise<Uploaded[]>,
): Promise<Transfer> {
  const copy = copySeconds(writeFiles(join(world.root, `cp-${name}`), files), join(world.root, `cp-${name}-copy`));
  const uploading = performance.now();
  const {
    result: { result: uploaded, peak },
    cpu: uploadCpu,
  } = await cpuDuring(world.bench, () => peakMemoryDuring(world.bench.server.process.pid!, uploadAll));
  const uploadSeconds = (performance.now() - uploading) / 1000;
  const downloading = performance.now();
  const { cpu: downloadCpu } = await cpuDuring(world.bench, async () => {
    for (const file of uploaded) await download(world.api, file);
  });
  return {
    bytes: files.reduce((total, file) => total + file.byteLength, 0),
    copySeconds: copy,
    uploadSeconds,
    downloadSeconds: (performance.now() - downloading) / 1000,
    peakBytes: peak.residentBytes,
    uploadCpu,
    downloadCpu,
  };
}

function transferRow(label: string, transfer: Transfer): string[] {
  const mebibytes = transfer.bytes / MiB;
  return [
    label,
    "",
    mebibytes.toFixed(1),
    transfer.copySeconds.toFixed(3),
    transfer.uploadSeconds.toFixed(2),
    (mebibytes / transfer.uploadSeconds).toFixed(0),
    (transfer.uploadSeconds / transfer.copySeconds).toFixed(1),
    transfer.downloadSeconds.toFixed(2),
    (mebibytes / transfer.downloadSeconds).toFixed(0),
    (transfer.downloadSeconds / transfer.copySeconds).toFixed(1),
  ];
}

function memoryRow(
  label: string,
  figure: string,
  beforeBytes: number,
  peakBytes: number,
  run: ParallelUploads,
): string[] {
  const growth = Math.max(0, peakBytes - beforeBytes);
  const inFlight = run.count * run.mebibytes * MiB;
  return [
    label,
    figure,
    megabytes(beforeBytes).toFixed(0),
    megabytes(peakBytes).toFixed(0),
    megabytes(growth).toFixed(0),
    `${((growth / inFlight) * 100).toFixed(0)} %`,
  ];
}
