/**
 * Setting or removing a picture, all or nothing (docs/files.md, "Pictures"): the new
 * object is stored under `pictures/<id>` first, then its row and the owner's pointer
 * change in one transaction (db/queries/pictures.ts); a transaction that fails takes
 * the stored object away again. The replaced picture's row went with the transaction;
 * its object is removed after, and open clients are told to read the lists again.
 */
import type { Context } from "hono";
import { errorText, log, query, type PictureOwner } from "../db/index.ts";
import type { PictureType } from "../protocol/index.ts";
import type { AppEnv } from "./context.ts";
import { notFound } from "./errors.ts";
import { tellPersonChanged } from "./people-changes.ts";
import { fileStoreOf, pictureKey } from "./storage/file-store.ts";
import { storing } from "./upload-views.ts";

/**
 * Points `owner` at `picture` (or at none) and answers the new picture's id. A random
 * id: its address is the capability to load it (`GET /api/pictures/:id`).
 */
export async function changePicture(
  c: Context<AppEnv>,
  owner: PictureOwner,
  picture: { type: PictureType; bytes: Uint8Array } | null,
): Promise<string | null> {
  const store = fileStoreOf(c.env);
  const stored = picture ? { id: crypto.randomUUID(), type: picture.type, bytes: picture.bytes.byteLength } : null;
  if (stored) await storing(() => store.put(pictureKey(stored.id), picture!.bytes));
  const unstore = async () => {
    if (stored) await forget(c.env, stored.id);
  };
  const replaced = await query(c.env.DATABASE, "replacePicture", {
    owner,
    uploaderId: c.get("userId"),
    picture: stored,
  }).catch(async (error: unknown) => {
    await unstore();
    throw error;
  });
  if (!replaced) {
    await unstore();
    throw notFound("that community");
  }
  if (replaced.previousId) await forget(c.env, replaced.previousId);
  await tellPictureChanged(c, owner);
  return stored?.id ?? null;
}

/**
 * Removes a picture's object whose row is gone (or never was). A failure is logged, not
 * the request's: the change is committed, and an object no row names is never served.
 */
async function forget(env: Env, pictureId: string): Promise<void> {
  await fileStoreOf(env)
    .delete([pictureKey(pictureId)])
    .catch((error: Error) => log.warn("picture_not_removed", { pictureId, error: error.message }));
}

/**
 * Open clients read again what shows the picture: the community (its list entry, its
 * page), or whatever lists show the person (functions/people-changes.ts).
 */
async function tellPictureChanged(c: Context<AppEnv>, owner: PictureOwner): Promise<void> {
  if (owner.kind === "avatar") return tellPersonChanged(c, owner.userId, "avatar");
  try {
    const hub = c.env.COMMUNITY_HUB.getByName(owner.communityId);
    await hub.changed({ type: "changed", scope: "communities" });
    await hub.changed({ type: "changed", scope: "members", communityId: owner.communityId });
  } catch (error) {
    log.warn("clients_not_told", { what: owner.kind, error: errorText(error) });
  }
}
