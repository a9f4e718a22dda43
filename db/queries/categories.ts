/** Categories: named, ordered groups of a community's channels, and reordering both at once. */
import { and, count, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { categories, channels } from "../schema.ts";

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

export interface LayoutInput {
  communityId: string;
  categories: { id: string; position: number }[];
  channels: { id: string; categoryId: string | null; position: number }[];
}

export type LayoutResult = { ok: true } | { ok: false; reason: "no_such_category" | "no_such_channel" };

/**
 * Applies a reorder in one transaction: every category and channel named must be this
 * community's, or nothing changes. Two UPDATE ... FROM (VALUES ...) statements, whatever
 * the number of rows, under the lock channel creation takes (no channel appears half-way).
 */
export async function applyLayout(db: Db, input: LayoutInput): Promise<LayoutResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`chatalot.channels:${input.communityId}`}))`);
    const categoryIds = [
      ...new Set([
        ...input.categories.map((category) => category.id),
        ...input.channels.flatMap((channel) => (channel.categoryId ? [channel.categoryId] : [])),
      ]),
    ];
    if (categoryIds.length > 0) {
      const known = await tx
        .select({ id: categories.id })
        .from(categories)
        .where(and(eq(categories.communityId, input.communityId), inArray(categories.id, categoryIds)));
      if (known.length !== categoryIds.length) return { ok: false, reason: "no_such_category" } as const;
    }
    if (input.channels.length > 0) {
      const known = await tx
        .select({ id: channels.id })
        .from(channels)
        .where(
          and(
            eq(channels.communityId, input.communityId),
            inArray(
              channels.id,
              input.channels.map((channel) => channel.id),
            ),
          ),
        );
      if (known.length !== input.channels.length) return { ok: false, reason: "no_such_channel" } as const;
      const rows = sql.join(
        input.channels.map(
          (channel) => sql`(${channel.id}::uuid, ${channel.categoryId}::uuid, ${channel.position}::int)`,
        ),
        sql`, `,
      );
      await tx.execute(sql`update ${channels} set position = moved.position, category_id = moved.category_id
        from (values ${rows}) as moved(id, category_id, position)
        where ${channels.id} = moved.id and ${channels.communityId} = ${input.communityId}`);
    }
    if (input.categories.length > 0) {
      const rows = sql.join(
        input.categories.map((category) => sql`(${category.id}::uuid, ${category.position}::int)`),
        sql`, `,
      );
      await tx.execute(sql`update ${categories} set position = moved.position
        from (values ${rows}) as moved(id, position)
        where ${categories.id} = moved.id and ${categories.communityId} = ${input.communityId}`);
    }
    return { ok: true } as const;
  });
}
