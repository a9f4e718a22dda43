/**
 * The one door into a channel: load it through the caller's membership (of its
 * community, or of the DM), compute their permissions with the function the rooms
 * use too, and answer 404 when they cannot view it, so a channel someone may not
 * see is indistinguishable from one that does not exist.
 */
import type { Context } from "hono";
import { query, type ChannelContextRecord } from "../db/index.ts";
import { has, Permission, uuidSchema, type PermissionName } from "../protocol/index.ts";
import { permissionsIn } from "../rooms/index.ts";
import type { AppEnv } from "./context.ts";
import { AppError, notFound } from "./errors.ts";

export interface ChannelAccess {
  context: ChannelContextRecord;
  permissions: number;
}

export async function channelAccess(c: Context<AppEnv>, rawChannelId: string): Promise<ChannelAccess> {
  const userId = c.get("userId");
  const id = uuidSchema.safeParse(rawChannelId);
  const context = id.success ? await query(c.env.DATABASE, "channelContext", { channelId: id.data, userId }) : null;
  const permissions = context ? permissionsIn(context, userId, Date.now()) : 0;
  if (!context || !has(permissions, Permission.VIEW_CHANNEL)) throw notFound("that channel");
  return { context, permissions };
}

/** Narrows to a community channel; DMs have no settings, overrides or moderators. */
export function requireCommunityChannel(
  access: ChannelAccess,
): asserts access is ChannelAccess & { context: Extract<ChannelContextRecord, { scope: "community" }> } {
  if (access.context.scope !== "community") {
    throw new AppError(400, "not_a_community_channel", "direct conversations have no channel settings");
  }
}

export function requireChannelPermission(access: ChannelAccess, name: PermissionName, toDo: string): void {
  if (!has(access.permissions, Permission[name])) {
    throw new AppError(403, "missing_permission", `you need the ${name.toLowerCase()} permission to ${toDo}`);
  }
}
