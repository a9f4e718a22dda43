/**
 * The uploads' share of the hourly housekeeping (docs/files.md, "Delete"): uploads no
 * message took within UPLOAD_ORPHAN_MS, uploads whose channel is gone, and rows a failed
 * removal left marked `deleting` lose their parts, then their rows. The Database object
 * runs the hourly alarm but may not import functions/ (the tree's import rule), so it
 * calls this through the UPLOAD_HOUSEKEEPING service binding, an entrypoint of the app.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { query } from "../../db/index.ts";
import { UPLOAD_ORPHAN_MS } from "../../protocol/index.ts";
import { removeUploadParts } from "./upload-parts.ts";

/** Uploads removed per batch; a backlog is worked through batch after batch. */
const SWEEP_BATCH = 200;
/** Batches per run at most, so one run stays short; the next hour continues. */
const SWEEP_BATCHES_MAX = 50;

export async function sweepUploads(env: Env): Promise<number> {
  let removed = 0;
  for (let batch = 0; batch < SWEEP_BATCHES_MAX; batch++) {
    const doomed = await query(env.DATABASE, "uploadsToSweep", {
      orphanSeconds: UPLOAD_ORPHAN_MS / 1000,
      limit: SWEEP_BATCH,
    });
    if (doomed.length === 0) break;
    // Parts first: a row goes only once nothing of it is left in the store.
    await removeUploadParts(env, doomed);
    removed += await query(env.DATABASE, "removeUploadRows", { ids: doomed.map((upload) => upload.id) });
    if (doomed.length < SWEEP_BATCH) break;
  }
  return removed;
}

export class UploadHousekeeping extends WorkerEntrypoint<Env> {
  /** Removes what is due; answers how many uploads went. */
  async sweep(): Promise<number> {
    return sweepUploads(this.env);
  }
}
