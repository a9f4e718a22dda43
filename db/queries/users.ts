/** Queries about accounts: registration, look-ups, and changes to one's own account. */
import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { instanceSettings, pictures, registrationInvites, sessions, users } from "../schema.ts";
import { discardUploads, type DiscardedUpload } from "./upload-discards.ts";

export type UserRecord = typeof users.$inferSelect;

/** Set when the first admin registers; the bootstrap path is closed from then on. */
const BOOTSTRAP_DONE = "bootstrap_admin_done";

/** How many live accounts are instance admins. */
export async function adminCount(db: Db, _input: Record<string, never>): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.isAdmin, true), isNull(users.deletedAt), isNull(users.suspendedAt)));
  return row?.count ?? 0;
}

export type CreateUserResult =
  | { ok: true; user: UserRecord; usedInviteId: string | null }
  | { ok: false; reason: "username_taken" | "admin_exists" | "invalid_invite" };

/**
 * Creates an account, in one transaction under a lock so racing sign-ups are
 * decided one at a time. `wantsAdmin` makes it the admin while no admin exists.
 * `onlyAsAdmin` refuses it otherwise (registration closed but for the bootstrap).
 * `inviteCodeHash`, when given and the account is not the bootstrap admin, must name a
 * live invite, whose use is counted last, after every other check passed.
 */
export async function createUser(
  db: Db,
  input: {
    username: string;
    passwordHash: string;
    recoveryCodeHash: string;
    wantsAdmin: boolean;
    onlyAsAdmin: boolean;
    inviteCodeHash: string | null;
  },
): Promise<CreateUserResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('chatalot.create_user'))`);
    const [taken] = await tx
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.username}) = lower(${input.username})`);
    if (taken) return { ok: false, reason: "username_taken" } as const;
    // The bootstrap happens once per instance: not again when the last admin is later deleted.
    let isAdmin = false;
    if (input.wantsAdmin) {
      const [admin] = await tx.select({ id: users.id }).from(users).where(eq(users.isAdmin, true)).limit(1);
      const [done] = await tx.select().from(instanceSettings).where(eq(instanceSettings.key, BOOTSTRAP_DONE));
      isAdmin = !admin && !done;
    }
    if (input.onlyAsAdmin && !isAdmin) return { ok: false, reason: "admin_exists" } as const;
    let usedInviteId: string | null = null;
    if (input.inviteCodeHash && !isAdmin) {
      const [invite] = await tx
        .update(registrationInvites)
        .set({ uses: sql`${registrationInvites.uses} + 1` })
        .where(
          and(
            eq(registrationInvites.codeHash, input.inviteCodeHash),
            isNull(registrationInvites.revokedAt),
            or(isNull(registrationInvites.expiresAt), gt(registrationInvites.expiresAt, sql`now()`)),
            or(isNull(registrationInvites.maxUses), lt(registrationInvites.uses, registrationInvites.maxUses)),
          ),
        )
        .returning({ id: registrationInvites.id });
      if (!invite) return { ok: false, reason: "invalid_invite" } as const;
      usedInviteId = invite.id;
    }
    const [user] = await tx
      .insert(users)
      .values({
        username: input.username,
        passwordHash: input.passwordHash,
        recoveryCodeHash: input.recoveryCodeHash,
        isAdmin,
      })
      .returning();
    if (isAdmin) await tx.insert(instanceSettings).values({ key: BOOTSTRAP_DONE, value: true }).onConflictDoNothing();
    return { ok: true, user: user!, usedInviteId } as const;
  });
}

/** A live (not deleted) account by username, case-insensitively. */
export async function userByUsername(db: Db, input: { username: string }): Promise<UserRecord | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(sql`lower(${users.username}) = lower(${input.username})`, isNull(users.deletedAt)));
  return user ?? null;
}

/**
 * A live account other than `exceptId` whose username is `plain` (case ignored) or reads
 * as `skeleton` once ASCII look-alikes are folded the way functions/display-names.ts folds them (rn→m, vv→w,
 * I/1/|→l, 0→o, case ignored). Scans the users table: only profile changes ask.
 */
export async function userWithNameSkeleton(
  db: Db,
  input: { skeleton: string; plain: string; exceptId: string },
): Promise<{ id: string } | null> {
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        sql`(lower(translate(replace(replace(${users.username}, 'rn', 'm'), 'vv', 'w'), 'I1|0', 'lllo')) = ${input.skeleton}
          or lower(${users.username}) = ${input.plain})`,
        isNull(users.deletedAt),
        sql`${users.id} <> ${input.exceptId}`,
      ),
    )
    .limit(1);
  return user ?? null;
}

export async function userById(db: Db, input: { id: string }): Promise<UserRecord | null> {
  const [user] = await db.select().from(users).where(eq(users.id, input.id));
  return user ?? null;
}

/** The registration mode an admin set at runtime, or null to use the environment's. */
export async function registrationModeSetting(db: Db, _input: Record<string, never>): Promise<string | null> {
  const [row] = await db.select().from(instanceSettings).where(eq(instanceSettings.key, "registration_mode"));
  return typeof row?.value === "string" ? row.value : null;
}

export async function setRegistrationMode(db: Db, input: { mode: string }): Promise<void> {
  await db
    .insert(instanceSettings)
    .values({ key: "registration_mode", value: input.mode })
    .onConflictDoUpdate({ target: instanceSettings.key, set: { value: input.mode, updatedAt: sql`now()` } });
}

export async function updateProfile(
  db: Db,
  input: { userId: string; displayName?: string | null; bio?: string | null; pronouns?: string | null },
): Promise<UserRecord> {
  const { userId, ...profile } = input;
  const [user] = await db.update(users).set(profile).where(eq(users.id, userId)).returning();
  return user!;
}

export async function setPasswordHash(db: Db, input: { userId: string; passwordHash: string }): Promise<void> {
  await db.update(users).set({ passwordHash: input.passwordHash }).where(eq(users.id, input.userId));
}

export async function setRecoveryCodeHash(db: Db, input: { userId: string; recoveryCodeHash: string }): Promise<void> {
  await db.update(users).set({ recoveryCodeHash: input.recoveryCodeHash }).where(eq(users.id, input.userId));
}

/**
 * Deletes an account: the row stays so its messages keep a sender, but the name is
 * freed, the credentials and two-factor data are erased and every session ends. Its
 * unsent uploads are marked `deleting` and its avatar's row goes (files its messages
 * carry stay with them); both are answered, for the caller to remove the stored bytes.
 */
export async function deleteUser(
  db: Db,
  input: { userId: string },
): Promise<{ discarded: DiscardedUpload[]; pictureIds: string[] }> {
  return db.transaction(async (tx) => {
    const discarded = await discardUploads(tx as unknown as Db, sql`owner_id = ${input.userId} and message_id is null`);
    const [previous] = await tx
      .select({ avatarId: users.avatarId })
      .from(users)
      .where(eq(users.id, input.userId))
      .for("update");
    await tx
      .update(users)
      .set({
        username: sql`'deleted-' || ${users.id}::text`,
        passwordHash: "!",
        recoveryCodeHash: null,
        displayName: null,
        bio: null,
        pronouns: null,
        statusText: null,
        statusEmoji: null,
        statusExpiresAt: null,
        totpSecret: null,
        totpKeyVersion: null,
        totpEnabled: false,
        isAdmin: false,
        avatarId: null,
        deletedAt: sql`now()`,
      })
      .where(eq(users.id, input.userId));
    await tx
      .update(sessions)
      .set({ revokedAt: sql`now()`, revokedReason: "account_deleted" })
      .where(and(eq(sessions.userId, input.userId), isNull(sessions.revokedAt)));
    const pictureIds = previous?.avatarId ? [previous.avatarId] : [];
    if (pictureIds.length > 0) await tx.delete(pictures).where(eq(pictures.id, pictureIds[0]!));
    return { discarded, pictureIds };
  });
}

/**
 * Suspends or restores an account. Suspending the last active admin is refused under
 * the admins' lock (the one setAdmin takes), so two admins suspending each other at the
 * same moment cannot leave the instance with none.
 */
export async function setSuspension(
  db: Db,
  input: { userId: string; suspended: boolean; reason: string | null },
): Promise<UserRecord | "last_admin" | null> {
  return db.transaction(async (tx) => {
    if (input.suspended) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('chatalot.admins'))`);
      const [target] = await tx
        .select({ isAdmin: users.isAdmin, suspendedAt: users.suspendedAt })
        .from(users)
        .where(eq(users.id, input.userId));
      if (target?.isAdmin && !target.suspendedAt && (await adminCount(tx as unknown as Db, {})) <= 1)
        return "last_admin";
    }
    const [user] = await tx
      .update(users)
      .set(
        input.suspended
          ? { suspendedAt: sql`now()`, suspensionReason: input.reason }
          : { suspendedAt: null, suspensionReason: null },
      )
      .where(and(eq(users.id, input.userId), isNull(users.deletedAt)))
      .returning();
    return user ?? null;
  });
}
