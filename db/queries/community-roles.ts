/** Roles in a community and who holds them. */
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../db.ts";
import { memberRoles, roles } from "../schema.ts";
import type { RoleRecord } from "./communities.ts";

export async function rolesOf(db: Db, input: { communityId: string }): Promise<RoleRecord[]> {
  return db.select().from(roles).where(eq(roles.communityId, input.communityId)).orderBy(desc(roles.position));
}

export async function createRole(
  db: Db,
  input: { communityId: string; name: string; permissions: number; position: number },
): Promise<RoleRecord> {
  const [role] = await db.insert(roles).values(input).returning();
  return role!;
}

export async function updateRole(
  db: Db,
  input: { communityId: string; roleId: string; name?: string; permissions?: number; position?: number },
): Promise<RoleRecord | null> {
  const { communityId, roleId, ...changes } = input;
  const [role] = await db
    .update(roles)
    .set(changes)
    .where(and(eq(roles.id, roleId), eq(roles.communityId, communityId)))
    .returning();
  return role ?? null;
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
