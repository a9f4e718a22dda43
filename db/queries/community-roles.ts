/** Roles in a community and who holds them. */
import { and, asc, desc, eq, gt, ne, sql, TransactionRollbackError } from "drizzle-orm";
import type { Db } from "../db.ts";
import { memberRoles, roles } from "../schema.ts";
import type { RoleRecord } from "./communities.ts";

export async function rolesOf(db: Db, input: { communityId: string }): Promise<RoleRecord[]> {
  return db
    .select()
    .from(roles)
    .where(eq(roles.communityId, input.communityId))
    .orderBy(desc(roles.position), asc(roles.createdAt), asc(roles.id));
}

/**
 * A new role at `position`; without one it goes at the bottom, just above @everyone, and
 * every other role moves up one (in the same transaction, so the order never has a gap).
 */
export async function createRole(
  db: Db,
  input: {
    communityId: string;
    name: string;
    permissions: number;
    position?: number;
    color: number | null;
    hoist: boolean;
  },
): Promise<RoleRecord> {
  return db.transaction(async (tx) => {
    if (input.position === undefined) {
      await tx
        .update(roles)
        .set({ position: sql`${roles.position} + 1` })
        .where(and(eq(roles.communityId, input.communityId), gt(roles.position, 0)));
    }
    const [role] = await tx
      .insert(roles)
      .values({ ...input, position: input.position ?? 1 })
      .returning();
    return role!;
  });
}

export async function updateRole(
  db: Db,
  input: {
    communityId: string;
    roleId: string;
    name?: string;
    permissions?: number;
    position?: number;
    color?: number | null;
    hoist?: boolean;
  },
): Promise<RoleRecord | null> {
  const { communityId, roleId, ...changes } = input;
  const [role] = await db
    .update(roles)
    .set(changes)
    .where(and(eq(roles.id, roleId), eq(roles.communityId, communityId)))
    .returning();
  return role ?? null;
}

/**
 * Gives roles new positions, all or none: `positions` maps role id to position. Refused
 * (false, nothing written) when a role is no longer there, so a reorder that raced a
 * deletion does not half-apply.
 */
export async function setRolePositions(
  db: Db,
  input: { communityId: string; positions: { roleId: string; position: number }[] },
): Promise<boolean> {
  return db
    .transaction(async (tx) => {
      for (const { roleId, position } of input.positions) {
        const updated = await tx
          .update(roles)
          .set({ position })
          .where(and(eq(roles.id, roleId), eq(roles.communityId, input.communityId), ne(roles.isEveryone, true)))
          .returning({ id: roles.id });
        if (updated.length === 0) tx.rollback();
      }
      return true;
    })
    .catch((error: unknown) => {
      if (error instanceof TransactionRollbackError) return false;
      throw error;
    });
}

export async function deleteRole(db: Db, input: { communityId: string; roleId: string }): Promise<boolean> {
  const deleted = await db
    .delete(roles)
    .where(and(eq(roles.id, input.roleId), eq(roles.communityId, input.communityId), eq(roles.isEveryone, false)))
    .returning({ id: roles.id });
  return deleted.length > 0;
}

export async function assignRole(
  db: Db,
  input: { communityId: string; userId: string; roleId: string },
): Promise<void> {
  await db.insert(memberRoles).values(input).onConflictDoNothing();
}

export async function unassignRole(
  db: Db,
  input: { communityId: string; userId: string; roleId: string },
): Promise<void> {
  await db
    .delete(memberRoles)
    .where(
      and(
        eq(memberRoles.userId, input.userId),
        eq(memberRoles.roleId, input.roleId),
        eq(memberRoles.communityId, input.communityId),
      ),
    );
}
