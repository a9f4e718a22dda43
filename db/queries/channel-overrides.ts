/** Channel permission overrides for a role or a member. */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db.ts";
import { channelOverrides } from "../schema.ts";
import type { OverrideRecord } from "./channels.ts";

type Target = { roleId: string; userId?: undefined } | { userId: string; roleId?: undefined };

const targetIs = (channelId: string, target: Target) =>
  and(
    eq(channelOverrides.channelId, channelId),
    target.roleId ? eq(channelOverrides.roleId, target.roleId) : eq(channelOverrides.userId, target.userId!),
  );

export async function overridesOf(db: Db, input: { channelId: string }): Promise<OverrideRecord[]> {
  return db.select().from(channelOverrides).where(eq(channelOverrides.channelId, input.channelId));
}

/** Sets (creates or replaces) the override for one role or member; allow 0 and deny 0 removes it. */
export async function setOverride(
  db: Db,
  input: { channelId: string; target: Target; allow: number; deny: number },
): Promise<void> {
  if (input.allow === 0 && input.deny === 0) {
    await db.delete(channelOverrides).where(targetIs(input.channelId, input.target));
    return;
  }
  await db
    .insert(channelOverrides)
    .values({ channelId: input.channelId, ...input.target, allow: input.allow, deny: input.deny })
    .onConflictDoUpdate({
      target: input.target.roleId
        ? [channelOverrides.channelId, channelOverrides.roleId]
        : [channelOverrides.channelId, channelOverrides.userId],
      set: { allow: input.allow, deny: input.deny },
    });
}

/** Sets several overrides of one channel in one transaction: all of them or, on any failure, none. */
export async function saveOverrides(
  db: Db,
  input: { channelId: string; overrides: { target: Target; allow: number; deny: number }[] },
): Promise<void> {
  await db.transaction(async (tx) => {
    for (const override of input.overrides)
      await setOverride(tx as unknown as Db, { channelId: input.channelId, ...override });
  });
}
