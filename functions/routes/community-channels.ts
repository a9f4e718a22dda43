/**
 * A community's channels and categories: the layout a member sees (only the
 * channels they may view), and creating channels and categories, which needs
 * MANAGE_CHANNELS. Changes to one channel live at /api/channels/:channelId.
 */
import { Hono, type Context } from "hono";
import { query } from "../../db/index.ts";
import {
  categorySchema,
  CATEGORIES_PER_COMMUNITY_MAX,
  CHANNELS_PER_COMMUNITY_MAX,
  createChannelSchema,
  has,
  Permission,
  updateCategorySchema,
  uuidSchema,
} from "../../protocol/index.ts";
import { permissionsIn } from "../../rooms/index.ts";
import { communityAccess, requirePermission, type CommunityAccess } from "../community-access.ts";
import { publishAccessChange } from "../access-changes.ts";
import type { AppEnv } from "../context.ts";
import { AppError, notFound } from "../errors.ts";
import { limitBody } from "../middleware.ts";
import { parse, parseJson } from "../validation.ts";
import { categoryView, channelView } from "../views.ts";

function audit(c: Context<AppEnv>, access: CommunityAccess, action: string, details: Record<string, unknown>) {
  return query(c.env.DATABASE, "recordCommunityAudit", {
    communityId: access.record.community.id,
    actorId: c.get("userId"),
    action,
    targetUserId: null,
    reason: null,
    details,
  });
}

export const communityChannels = new Hono<AppEnv>()
  .get("/:communityId/channels", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    const layout = await query(c.env.DATABASE, "communityLayout", { communityId: access.record.community.id });
    const now = Date.now();
    const visible = layout.channels.flatMap((channel) => {
      const overrides = layout.overrides.filter((override) => override.channelId === channel.id);
      const context = { scope: "community" as const, channel, member: access.record, overrides };
      const permissions = permissionsIn(context, c.get("userId"), now);
      return has(permissions, Permission.VIEW_CHANNEL) ? [channelView(channel, permissions)] : [];
    });
    return c.json({ categories: layout.categories.map(categoryView), channels: visible });
  })
  .post("/:communityId/channels", limitBody, async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_CHANNELS", "create channels");
    const input = await parseJson(c, createChannelSchema);
    const result = await query(c.env.DATABASE, "createCommunityChannel", {
      communityId: access.record.community.id,
      everyoneRoleId: access.record.everyone.id,
      createdBy: c.get("userId"),
      name: input.name,
      kind: input.kind,
      categoryId: input.categoryId ?? null,
      topic: input.topic ?? null,
      position: input.position ?? null,
      isPrivate: input.isPrivate ?? false,
      viewFlag: Permission.VIEW_CHANNEL,
      maxChannels: CHANNELS_PER_COMMUNITY_MAX,
    });
    if (!result.ok) {
      if (result.reason === "name_taken")
        throw new AppError(409, "channel_exists", `a channel named #${input.name} already exists here`);
      if (result.reason === "too_many")
        throw new AppError(
          409,
          "too_many_channels",
          `a community holds at most ${CHANNELS_PER_COMMUNITY_MAX} channels`,
        );
      throw notFound("that category");
    }
    // The push first: open sockets must hear of the change even if the audit row cannot be written.
    await publishAccessChange(c, {
      kind: "channel.created",
      communityId: access.record.community.id,
      channelId: result.channel.id,
      userId: null,
      details: { isPrivate: input.isPrivate ?? false },
    });
    await audit(c, access, "channel.created", { channelId: result.channel.id, name: input.name });
    const context = {
      scope: "community" as const,
      channel: result.channel,
      member: access.record,
      overrides: await query(c.env.DATABASE, "overridesOf", { channelId: result.channel.id }),
    };
    return c.json({ channel: channelView(result.channel, permissionsIn(context, c.get("userId"), Date.now())) }, 201);
  })
  .post("/:communityId/categories", limitBody, async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_CHANNELS", "create categories");
    const input = await parseJson(c, categorySchema);
    const category = await query(c.env.DATABASE, "createCategory", {
      communityId: access.record.community.id,
      name: input.name,
      position: input.position ?? 0,
      maxCategories: CATEGORIES_PER_COMMUNITY_MAX,
    });
    if (!category)
      throw new AppError(
        409,
        "too_many_categories",
        `a community holds at most ${CATEGORIES_PER_COMMUNITY_MAX} categories`,
      );
    await audit(c, access, "category.created", { categoryId: category.id, name: category.name });
    return c.json({ category: categoryView(category) }, 201);
  })
  .patch("/:communityId/categories/:categoryId", limitBody, async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_CHANNELS", "change categories");
    const categoryId = parse(uuidSchema, c.req.param("categoryId"));
    const changes = await parseJson(c, updateCategorySchema);
    if (Object.keys(changes).length === 0)
      throw new AppError(400, "invalid_request", "change at least one of name, position");
    const category = await query(c.env.DATABASE, "updateCategory", {
      communityId: access.record.community.id,
      categoryId,
      ...changes,
    });
    if (!category) throw notFound("that category");
    await audit(c, access, "category.changed", { categoryId, ...changes });
    return c.json({ category: categoryView(category) });
  })
  .delete("/:communityId/categories/:categoryId", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_CHANNELS", "delete categories");
    const categoryId = parse(uuidSchema, c.req.param("categoryId"));
    if (!(await query(c.env.DATABASE, "deleteCategory", { communityId: access.record.community.id, categoryId })))
      throw notFound("that category");
    await audit(c, access, "category.deleted", { categoryId });
    return c.body(null, 204);
  });
