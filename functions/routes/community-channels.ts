/**
 * A community's channels and categories: the layout a member sees (only the
 * channels they may view), and creating channels and categories and reordering
 * them, which need MANAGE_CHANNELS. Changes to one channel live at /api/channels/:channelId.
 */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { log, query } from "../../db/index.ts";
import {
  categorySchema,
  CATEGORIES_PER_COMMUNITY_MAX,
  CHANNELS_PER_COMMUNITY_MAX,
  createChannelSchema,
  has,
  layoutSchema,
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

/** A whole layout (500 channels at ~100 bytes each, 100 categories) is more than the usual body limit. */
const LAYOUT_BODY_MAX_BYTES = 64 * 1024;
const limitLayoutBody = bodyLimit({
  maxSize: LAYOUT_BODY_MAX_BYTES,
  onError: () => {
    throw new AppError(413, "body_too_large", `a layout is limited to ${LAYOUT_BODY_MAX_BYTES} bytes`);
  },
});

/**
 * Order and categories are no access change (nothing to log for re-keying, no room to
 * tell): members' open clients just read the channel list again. Best effort: a client
 * that misses the news sees the change at its next load.
 */
async function tellChannelListChanged(c: Context<AppEnv>, communityId: string): Promise<void> {
  const frame = { type: "changed", scope: "channels", communityId } as const;
  await c.env.COMMUNITY_HUB.getByName(communityId)
    .changed(frame)
    .catch((error: Error) =>
      log.warn("clients_not_told", { what: "channel layout", communityId, error: error.message }),
    );
}

/** The ids of the channels the caller may view: one cannot move (nor learn of) the others. */
async function visibleChannelIds(c: Context<AppEnv>, access: CommunityAccess): Promise<Set<string>> {
  const layout = await query(c.env.DATABASE, "communityLayout", { communityId: access.record.community.id });
  const now = Date.now();
  const visible = layout.channels.filter((channel) => {
    const overrides = layout.overrides.filter((override) => override.channelId === channel.id);
    const context = { scope: "community" as const, channel, member: access.record, overrides };
    return has(permissionsIn(context, c.get("userId"), now), Permission.VIEW_CHANNEL);
  });
  return new Set(visible.map((channel) => channel.id));
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
      allowRoleIds: input.allowRoleIds ?? [],
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
      if (result.reason === "no_such_role") throw notFound("one of those roles");
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
    await tellChannelListChanged(c, access.record.community.id);
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
    await tellChannelListChanged(c, access.record.community.id);
    await audit(c, access, "category.changed", { categoryId, ...changes });
    return c.json({ category: categoryView(category) });
  })
  .delete("/:communityId/categories/:categoryId", async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_CHANNELS", "delete categories");
    const categoryId = parse(uuidSchema, c.req.param("categoryId"));
    if (!(await query(c.env.DATABASE, "deleteCategory", { communityId: access.record.community.id, categoryId })))
      throw notFound("that category");
    await tellChannelListChanged(c, access.record.community.id);
    await audit(c, access, "category.deleted", { categoryId });
    return c.body(null, 204);
  })
  .put("/:communityId/layout", limitLayoutBody, async (c) => {
    const access = await communityAccess(c, c.req.param("communityId"));
    requirePermission(access, "MANAGE_CHANNELS", "reorder channels");
    const input = await parseJson(c, layoutSchema);
    const communityId = access.record.community.id;
    const visible = await visibleChannelIds(c, access);
    // A channel one may not view answers as one that does not exist.
    if (input.channels.some((channel) => !visible.has(channel.id))) throw notFound("one of those channels");
    const result = await query(c.env.DATABASE, "applyLayout", { communityId, ...input });
    if (!result.ok)
      throw notFound(result.reason === "no_such_category" ? "one of those categories" : "one of those channels");
    await tellChannelListChanged(c, communityId);
    return c.body(null, 204);
  });
