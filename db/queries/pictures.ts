/**
 * Pictures (docs/files.md): a person's avatar, a community's icon and banner. A
 * picture's object is stored first (functions/picture-changes.ts); its row and the
 * pointer to it change here in one transaction, which also removes the row of the
 * picture it replaces, so a person or community points at one picture at a time and
 * no row outlives its place.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db.ts";
import { communities, pictures, users } from "../schema.ts";

export type PictureRecord = typeof pictures.$inferSelect;
export type PictureKind = PictureRecord["kind"];

/** Whose picture: a person's avatar, or a community's icon or banner. */
export type PictureOwner = { kind: "avatar"; userId: string } | { kind: "icon" | "banner"; communityId: string };

/** A picture whose object is stored under `pictures/<id>`, ready to be pointed at. */
export interface StoredPicture {
  id: string;
  type: string;
  bytes: number;
}

export async function pictureById(db: Db, input: { id: string }): Promise<PictureRecord | null> {
  const [row] = await db.select().from(pictures).where(eq(pictures.id, input.id));
  return row ?? null;
}

/**
 * Points the owner at `picture` (or at none), under a lock on the owner's row so two
 * changes at once each replace what the other left. Answers the id of the picture
 * replaced (its row is gone; the caller removes its object), or null when the owner
 * does not exist (a community deleted meanwhile): nothing changed then.
 */
export async function replacePicture(
  db: Db,
  input: { owner: PictureOwner; uploaderId: string; picture: StoredPicture | null },
): Promise<{ previousId: string | null } | null> {
  const { owner, picture } = input;
  return db.transaction(async (tx) => {
    const previousId = await lockOwner(tx as unknown as Db, owner);
    if (previousId === undefined) return null;
    if (picture) {
      await tx.insert(pictures).values({ ...picture, kind: owner.kind, uploaderId: input.uploaderId });
    }
    const id = picture?.id ?? null;
    if (owner.kind === "avatar") await tx.update(users).set({ avatarId: id }).where(eq(users.id, owner.userId));
    else {
      // An icon set or removed here also drops the old inline one: it is what this replaces.
      const pointer = owner.kind === "icon" ? { iconId: id, icon: null } : { bannerId: id };
      await tx.update(communities).set(pointer).where(eq(communities.id, owner.communityId));
    }
    if (previousId) await tx.delete(pictures).where(eq(pictures.id, previousId));
    return { previousId };
  });
}

/** The owner's current picture id (null for none) with its row locked; undefined when there is no owner. */
async function lockOwner(db: Db, owner: PictureOwner): Promise<string | null | undefined> {
  if (owner.kind === "avatar") {
    const [user] = await db
      .select({ pictureId: users.avatarId })
      .from(users)
      .where(eq(users.id, owner.userId))
      .for("update");
    return user ? user.pictureId : undefined;
  }
  const [community] = await db
    .select({ pictureId: owner.kind === "icon" ? communities.iconId : communities.bannerId })
    .from(communities)
    .where(eq(communities.id, owner.communityId))
    .for("update");
  return community ? community.pictureId : undefined;
}
