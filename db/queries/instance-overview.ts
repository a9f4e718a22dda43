/**
 * What the admin page reads: one person in detail, communities with their sizes, staffing
 * of admins, and the storage people's files and pictures take.
 */
import { and, asc, count, eq, gt, ilike, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { channels, communities, communityMembers, pictures, uploads, users } from "../schema.ts";

/** The communities a person belongs to, and whether they own each. */
export async function communitiesOfMember(db: Db, input: { userId: string }) {
  return db
    .select({ id: communities.id, name: communities.name, ownerId: communities.ownerId })
    .from(communityMembers)
    .innerJoin(communities, eq(communities.id, communityMembers.communityId))
    .where(eq(communityMembers.userId, input.userId))
    .orderBy(asc(communities.name));
}

/** A page of communities by name with their owner and sizes, optionally filtered by name. */
export async function communitiesForAdmin(
  db: Db,
  input: { search: string | null; after: string | null; limit: number },
) {
  return db
    .select({
      id: communities.id,
      name: communities.name,
      ownerId: communities.ownerId,
      ownerName: users.username,
      createdAt: communities.createdAt,
      members: sql<number>`(select count(*)::int from ${communityMembers} m where m.community_id = ${communities.id})`,
      channels: sql<number>`(select count(*)::int from ${channels} c where c.community_id = ${communities.id})`,
    })
    .from(communities)
    .innerJoin(users, eq(users.id, communities.ownerId))
    .where(
      and(
        input.search
          ? ilike(communities.name, `%${input.search.replace(/[\\%_]/g, (match) => `\\${match}`)}%`)
          : undefined,
        input.after ? gt(sql`lower(${communities.name}) || ${communities.id}`, input.after) : undefined,
      ),
    )
    .orderBy(asc(sql`lower(${communities.name}) || ${communities.id}`))
    .limit(input.limit);
}

/** Active admins, and how many of them have two-factor on. */
export async function adminStaffing(db: Db, _input: Record<string, never>) {
  const [row] = await db
    .select({
      admins: count(),
      withTwoFactor: sql<number>`count(*) filter (where ${users.totpEnabled})::int`,
    })
    .from(users)
    .where(and(eq(users.isAdmin, true), isNull(users.deletedAt), isNull(users.suspendedAt)));
  return { admins: row?.admins ?? 0, withTwoFactor: row?.withTwoFactor ?? 0 };
}

/** Every channel id, for the live figures (each room reports its own sockets). */
export async function allChannelIds(db: Db, input: { limit: number }): Promise<string[]> {
  const rows = await db.select({ id: channels.id }).from(channels).limit(input.limit);
  return rows.map((row) => row.id);
}

export async function databaseSize(db: Db, _input: Record<string, never>): Promise<number> {
  const result = await db.execute<{ bytes: string }>(sql`select pg_database_size(current_database()) as bytes`);
  return Number(result.rows[0]?.bytes ?? 0);
}

export async function communityById(db: Db, input: { communityId: string }) {
  const [community] = await db.select().from(communities).where(eq(communities.id, input.communityId));
  return community ?? null;
}

/**
 * Bytes stored for each of these people: the sealed size of every upload they own that is
 * not being removed (what the quota counts), plus the pictures they uploaded. People with
 * nothing stored are absent.
 */
export async function storageOfUsers(db: Db, input: { userIds: string[] }): Promise<Record<string, number>> {
  if (input.userIds.length === 0) return {};
  const fileRows = await db
    .select({ ownerId: uploads.ownerId, bytes: sql<string>`sum(${uploads.size})`.as("bytes") })
    .from(uploads)
    .where(and(inArray(uploads.ownerId, input.userIds), ne(uploads.state, "deleting")))
    .groupBy(uploads.ownerId);
  const pictureRows = await db
    .select({ ownerId: pictures.uploaderId, bytes: sql<string>`sum(${pictures.bytes})`.as("bytes") })
    .from(pictures)
    .where(inArray(pictures.uploaderId, input.userIds))
    .groupBy(pictures.uploaderId);
  const storage: Record<string, number> = {};
  for (const row of [...fileRows, ...pictureRows])
    storage[row.ownerId] = (storage[row.ownerId] ?? 0) + Number(row.bytes);
  return storage;
}

/** Bytes stored for everyone: uploads not being removed, and pictures. */
export async function storageTotal(db: Db, _input: Record<string, never>): Promise<number> {
  const result = await db.execute<{ bytes: string }>(sql`
    select (select coalesce(sum(${uploads.size}), 0) from ${uploads} where ${uploads.state} <> 'deleting')
         + (select coalesce(sum(${pictures.bytes}), 0) from ${pictures}) as bytes`);
  return Number(result.rows[0]?.bytes ?? 0);
}
