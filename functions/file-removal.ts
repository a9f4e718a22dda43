/**
 * Removing the stored bytes of what a committed deletion let go (docs/files.md,
 * "Delete"): the parts of uploads marked `deleting`, and pictures whose rows are gone.
 * Best effort: the deletion stands whatever happens here; an upload row stays marked
 * until its parts are gone, so the hourly housekeeping finishes what fails now.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { errorText, log, query } from "../db/index.ts";
import { fileStoreOf, pictureKey } from "./storage/file-store.ts";
import { removeUploadParts, type StoredUpload } from "./storage/upload-parts.ts";

export interface Discarded {
  /** Uploads marked `deleting` (the deleting query answers them). */
  uploads: StoredUpload[];
  /** Pictures whose rows the same transaction deleted. */
  pictureIds?: string[];
}

export async function removeDiscarded(env: Env, discarded: Discarded): Promise<void> {
  const pictureIds = discarded.pictureIds ?? [];
  try {
    // Parts first: a row goes only once nothing of it is left in the store.
    await removeUploadParts(env, discarded.uploads);
    const ids = discarded.uploads.map((upload) => upload.id);
    if (ids.length > 0) await query(env.DATABASE, "removeUploadRows", { ids });
    if (pictureIds.length > 0) await fileStoreOf(env).delete(pictureIds.map(pictureKey));
  } catch (error) {
    // Housekeeping retries.
    log.warn("files_not_removed", {
      uploads: discarded.uploads.length,
      pictures: pictureIds.length,
      error: errorText(error),
    });
  }
}

/**
 * The same for the channel rooms, which delete messages but may not import functions/
 * (the tree's import rule): they call it through the FILE_REMOVAL service binding.
 */
export class FileRemoval extends WorkerEntrypoint<Env> {
  async remove(discarded: Discarded): Promise<void> {
    await removeDiscarded(this.env, discarded);
  }
}
