/** Categories: named, ordered groups of a community's channels. */
import { and, count, eq } from "drizzle-orm";
import type { Db } from "../db.ts";
import { categories } from "../schema.ts";

export type CategoryRecord = typeof categories.$inferSelect;

export async function createCategory(
  db: Db,
  input: { communityId: string; name: string; position: number; maxCategories: number },
): Promise<CategoryRecord | null> {
  const [existing] = await db
    .select({ total: count() })
    .from(categories)
    .where(eq(categories.communityId, input.communityId));
  if ((existing?.total ?? 0) >= input.maxCategories) return null;
  const [category] = await db
    .insert(categories)
    .values({ communityId: input.communityId, name: input.name, position: input.position })
    .returning();
  return category!;
}

export async function updateCategory(
  db: Db,
  input: { communityId: string; categoryId: string; name?: string; position?: number },
): Promise<CategoryRecord | null> {
  const { communityId, categoryId, ...changes } = input;
  const [category] = await db
    .update(categories)
    .set(changes)
    .where(and(eq(categories.id, categoryId), eq(categories.communityId, communityId)))
    .returning();
  return category ?? null;
}

/** Deletes a category; its channels stay, uncategorised. */
export async function deleteCategory(db: Db, input: { communityId: string; categoryId: string }): Promise<boolean> {
  const removed = await db
    .delete(categories)
    .where(and(eq(categories.id, input.categoryId), eq(categories.communityId, input.communityId)))
    .returning({ id: categories.id });
  return removed.length > 0;
}
