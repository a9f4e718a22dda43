/**
 * The key directory of end-to-end encryption: account keys, device keys (one per
 * live session) and the devices' KeyPackages. Everything here is public key
 * material or opaque to the server; claiming a KeyPackage is atomic, so two people
 * adding the same device at once never get the same one-time package.
 */
import { and, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { accountKeys, deviceKeys, keyPackages, sessions } from "../schema.ts";
import { setKeyBackupAside } from "./key-backups.ts";

// The backup's queries live beside these; the registry takes them from here.
export * from "./key-backups.ts";

export type AccountKeyRecord = typeof accountKeys.$inferSelect;

export interface DeviceRecord {
  sessionId: string;
  userId: string;
  signaturePublicKey: Uint8Array;
  crossSignature: Uint8Array;
  isSignedByCurrentKey: boolean;
  createdAt: Date;
  /** When its session was revoked (signed out); null while the device is live. */
  revokedAt: Date | null;
}

/** The account's current key and how many it had before it, or null when it has none yet. */
export async function accountKeyOf(
  db: Db,
  input: { userId: string },
): Promise<{ key: AccountKeyRecord; replacedKeys: number } | null> {
  const all = await db
    .select()
    .from(accountKeys)
    .where(eq(accountKeys.userId, input.userId))
    .orderBy(desc(accountKeys.createdAt));
  const current = all.find((key) => key.replacedAt === null);
  return current ? { key: current, replacedKeys: all.length - 1 } : null;
}

/**
 * Sets the account's key. The same key again changes nothing; a different one
 * replaces the current key (kept, marked replaced) and sets the key backup, which
 * holds the replaced key, aside as an earlier version, in one transaction. Devices certified by the replaced
 * key leave the person's groups (see `channelDeviceAudience`).
 */
export async function setAccountKey(
  db: Db,
  input: { userId: string; publicKey: Uint8Array },
): Promise<{ key: AccountKeyRecord; change: "created" | "unchanged" | "replaced" }> {
  return db.transaction(async (tx) => {
    // Serializes changes of one account's key, so the partial unique index never races.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`chatalot.account-key:${input.userId}`}))`);
    const [current] = await tx
      .select()
      .from(accountKeys)
      .where(and(eq(accountKeys.userId, input.userId), isNull(accountKeys.replacedAt)));
    if (current && Buffer.from(current.publicKey).equals(Buffer.from(input.publicKey))) {
      return { key: current, change: "unchanged" as const };
    }
    if (current) {
      await tx
        .update(accountKeys)
        .set({ replacedAt: sql`now()` })
        .where(eq(accountKeys.id, current.id));
      // The backup holds the replaced key: restoring it as the latest would bring that key back.
      await setKeyBackupAside(tx, input.userId);
    }
    const [created] = await tx
      .insert(accountKeys)
      .values({ userId: input.userId, publicKey: input.publicKey })
      .returning();
    return { key: created!, change: current ? ("replaced" as const) : ("created" as const) };
  });
}

/**
 * Registers the session's device key, vouched for by `accountKeyId`. A device's key
 * never changes: registering the same key again is a no-op, another key is refused.
 */
export async function registerDevice(
  db: Db,
  input: {
    sessionId: string;
    userId: string;
    signaturePublicKey: Uint8Array;
    crossSignature: Uint8Array;
    accountKeyId: string;
  },
): Promise<{ ok: true; isNew: boolean } | { ok: false; reason: "key_differs" }> {
  const inserted = await db.insert(deviceKeys).values(input).onConflictDoNothing().returning();
  if (inserted.length > 0) return { ok: true, isNew: true };
  const [existing] = await db.select().from(deviceKeys).where(eq(deviceKeys.sessionId, input.sessionId));
  const isSame =
    existing &&
    Buffer.from(existing.signaturePublicKey).equals(Buffer.from(input.signaturePublicKey)) &&
    existing.accountKeyId === input.accountKeyId;
  if (isSame) return { ok: true, isNew: false };
  if (existing && Buffer.from(existing.signaturePublicKey).equals(Buffer.from(input.signaturePublicKey))) {
    // The same device key, vouched for again by a new account key.
    await db
      .update(deviceKeys)
      .set({ crossSignature: input.crossSignature, accountKeyId: input.accountKeyId })
      .where(eq(deviceKeys.sessionId, input.sessionId));
    return { ok: true, isNew: false };
  }
  return { ok: false, reason: "key_differs" };
}

/**
 * The user's devices, oldest first: the sessions that registered a device key, revoked
 * ones too (marked), because members who were offline still process the commits those
 * devices made while they were live, and must recognize their credentials.
 */
export async function devicesOf(db: Db, input: { userId: string }): Promise<DeviceRecord[]> {
  return db
    .select({
      sessionId: deviceKeys.sessionId,
      userId: deviceKeys.userId,
      signaturePublicKey: deviceKeys.signaturePublicKey,
      crossSignature: deviceKeys.crossSignature,
      isSignedByCurrentKey: sql<boolean>`${accountKeys.replacedAt} is null`,
      createdAt: deviceKeys.createdAt,
      revokedAt: sessions.revokedAt,
    })
    .from(deviceKeys)
    .innerJoin(sessions, eq(sessions.id, deviceKeys.sessionId))
    .innerJoin(accountKeys, eq(accountKeys.id, deviceKeys.accountKeyId))
    .where(eq(deviceKeys.userId, input.userId))
    .orderBy(deviceKeys.createdAt);
}

/**
 * Adds KeyPackages to a device's stock; a new last-resort one replaces the old.
 * Refused, storing nothing, when the one-time stock would pass `maxStock`.
 */
export async function addKeyPackages(
  db: Db,
  input: { sessionId: string; keyPackages: Uint8Array[]; lastResort: Uint8Array | null; maxStock: number },
): Promise<{ ok: true; available: number } | { ok: false; reason: "too_many"; available: number }> {
  return db.transaction(async (tx) => {
    // The device row's lock serializes uploads, so the stock limit holds under races.
    await tx.execute(sql`select 1 from ${deviceKeys} where ${deviceKeys.sessionId} = ${input.sessionId} for update`);
    const available = await oneTimeStock(tx, input.sessionId);
    if (available + input.keyPackages.length > input.maxStock)
      return { ok: false as const, reason: "too_many" as const, available };
    if (input.keyPackages.length > 0) {
      await tx
        .insert(keyPackages)
        .values(input.keyPackages.map((keyPackage) => ({ sessionId: input.sessionId, keyPackage })));
    }
    if (input.lastResort) {
      await tx
        .delete(keyPackages)
        .where(and(eq(keyPackages.sessionId, input.sessionId), eq(keyPackages.isLastResort, true)));
      await tx
        .insert(keyPackages)
        .values({ sessionId: input.sessionId, keyPackage: input.lastResort, isLastResort: true });
    }
    return { ok: true as const, available: available + input.keyPackages.length };
  });
}

/** How many one-time KeyPackages the device has left, and whether it has a last-resort one. */
export async function keyPackageStock(
  db: Db,
  input: { sessionId: string },
): Promise<{ available: number; hasLastResort: boolean }> {
  const [row] = await db
    .select({
      available: sql<number>`count(*) filter (where not ${keyPackages.isLastResort})`.mapWith(Number),
      lastResort: sql<number>`count(*) filter (where ${keyPackages.isLastResort})`.mapWith(Number),
    })
    .from(keyPackages)
    .where(eq(keyPackages.sessionId, input.sessionId));
  return { available: row?.available ?? 0, hasLastResort: (row?.lastResort ?? 0) > 0 };
}

/** Of these devices, those with fewer than `below` one-time KeyPackages left. */
export async function devicesLowOnKeyPackages(
  db: Db,
  input: { sessionIds: string[]; below: number },
): Promise<string[]> {
  if (input.sessionIds.length === 0) return [];
  const result = await db.execute<{ session_id: string }>(sql`
    select d.session_id from device_keys d
    where d.session_id = any(${`{${input.sessionIds.join(",")}}`}::uuid[])
      and (select count(*) from key_packages k where k.session_id = d.session_id and not k.is_last_resort) < ${input.below}
  `);
  return result.rows.map((row) => row.session_id);
}

async function oneTimeStock(db: Pick<Db, "select">, sessionId: string): Promise<number> {
  const [row] = await db
    .select({ total: count() })
    .from(keyPackages)
    .where(and(eq(keyPackages.sessionId, sessionId), eq(keyPackages.isLastResort, false)));
  return row?.total ?? 0;
}

/**
 * One KeyPackage for each live device of the user, in one statement: a one-time
 * package, taken and deleted (rows another claim holds are skipped, never shared),
 * or else (or with `onlyLastResort`) the device's last-resort package, which stays.
 * Devices with neither, and devices certified by a replaced account key, are left out.
 */
export async function claimKeyPackages(
  db: Db,
  input: { userId: string; exceptSessionId: string; deviceIds: string[] | null; onlyLastResort?: boolean },
): Promise<{ sessionId: string; keyPackage: Uint8Array; isLastResort: boolean }[]> {
  const result = await db.execute<{ session_id: string; key_package: Uint8Array; is_last_resort: boolean }>(sql`
    with devices as (
      select d.session_id from device_keys d join sessions s on s.id = d.session_id
        join account_keys ak on ak.id = d.account_key_id and ak.replaced_at is null
      where d.user_id = ${input.userId} and s.revoked_at is null and d.session_id <> ${input.exceptSessionId}
        and (${input.deviceIds === null} or d.session_id = any(${`{${(input.deviceIds ?? []).join(",")}}`}::uuid[]))
    ), taken as (
      delete from key_packages k where k.id in (
        select (select p.id from key_packages p
                where p.session_id = devices.session_id and not p.is_last_resort and not ${input.onlyLastResort === true}
                order by p.id limit 1 for update skip locked)
        from devices
      )
      returning k.session_id, k.key_package, false as is_last_resort
    )
    select session_id, key_package, is_last_resort from taken
    union all
    select p.session_id, p.key_package, true from key_packages p join devices d on d.session_id = p.session_id
    where p.is_last_resort and not exists (select 1 from taken where taken.session_id = p.session_id)
  `);
  return result.rows.map((row) => ({
    sessionId: row.session_id,
    keyPackage: new Uint8Array(row.key_package),
    isLastResort: Boolean(row.is_last_resort),
  }));
}

/** Whether `viewerId` may claim `userId`'s KeyPackages: themself, or sharing a community or a conversation. */
export async function sharesPlaceWith(db: Db, input: { viewerId: string; userId: string }): Promise<boolean> {
  if (input.viewerId === input.userId) return true;
  const result = await db.execute<{ shares: boolean }>(sql`
    select exists (
      select 1 from community_members a join community_members b on b.community_id = a.community_id
      where a.user_id = ${input.viewerId} and b.user_id = ${input.userId}
    ) or exists (
      select 1 from channel_members a join channel_members b on b.channel_id = a.channel_id
      where a.user_id = ${input.viewerId} and b.user_id = ${input.userId}
    ) as shares`);
  return Boolean(result.rows[0]?.shares);
}

/**
 * Who must hear that the person's devices changed: the communities they belong to
 * (each community's online members hear it) and the people they share a conversation with.
 */
export async function devicePeersOf(
  db: Db,
  input: { userId: string },
): Promise<{ communityIds: string[]; userIds: string[] }> {
  const result = await db.execute<{ community_ids: string[] | null; user_ids: string[] | null }>(sql`
    select
      (select array_agg(cm.community_id::text) from community_members cm where cm.user_id = ${input.userId})
        as community_ids,
      (select array_agg(distinct other.user_id::text) from channel_members mine
        join channel_members other on other.channel_id = mine.channel_id and other.user_id <> mine.user_id
        where mine.user_id = ${input.userId}) as user_ids
  `);
  const row = result.rows[0];
  return { communityIds: arrayOf(row?.community_ids), userIds: arrayOf(row?.user_ids) };
}

/** The people the devices (sessions) belong to. */
export async function ownersOfDevices(db: Db, input: { deviceIds: string[] }): Promise<string[]> {
  if (input.deviceIds.length === 0) return [];
  const rows = await db
    .selectDistinct({ userId: sessions.userId })
    .from(sessions)
    .where(inArray(sessions.id, input.deviceIds));
  return rows.map((row) => row.userId);
}

/** A text[] from the driver: an array, or PostgreSQL's literal when the driver leaves it as text. */
function arrayOf(value: string[] | string | null | undefined): string[] {
  if (!value) return [];
  if (Array.isArray(value)) return value;
  return value === "{}" ? [] : value.slice(1, -1).split(",");
}
