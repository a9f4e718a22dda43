/** Queries about accounts. */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { users } from "../schema.ts";

export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  isAdmin: boolean;
  createdAt: Date;
}

export type CreateUserResult =
  | { ok: true; user: UserRecord }
  | { ok: false; reason: "username_taken" | "admin_exists" };

/**
 * Creates an account. `wantsAdmin` makes it the instance admin only while no admin
 * exists; `onlyAsAdmin` refuses the account otherwise (registration closed but for the
 * bootstrap admin). Checked in one transaction under a lock, so two racing sign-ups
 * cannot both become the first admin.
 */
export async function createUser(
  db: Db,
  input: { username: string; passwordHash: string; wantsAdmin: boolean; onlyAsAdmin: boolean },
): Promise<CreateUserResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('chatalot.create_user'))`);
    const [taken] = await tx
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.username}) = lower(${input.username})`);
    if (taken) return { ok: false, reason: "username_taken" } as const;
    let isAdmin = false;
    if (input.wantsAdmin) {
      const [admin] = await tx.select({ id: users.id }).from(users).where(eq(users.isAdmin, true)).limit(1);
      isAdmin = !admin;
    }
    if (input.onlyAsAdmin && !isAdmin) return { ok: false, reason: "admin_exists" } as const;
    const [user] = await tx
      .insert(users)
      .values({ username: input.username, passwordHash: input.passwordHash, isAdmin })
      .returning();
    return { ok: true, user: user! } as const;
  });
}

export async function userByUsername(db: Db, input: { username: string }): Promise<UserRecord | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${input.username})`);
  return user ?? null;
}

export async function userById(db: Db, input: { id: string }): Promise<UserRecord | null> {
  const [user] = await db.select().from(users).where(eq(users.id, input.id));
  return user ?? null;
}
