/**
 * /api/dms: direct conversations outside communities. Opening a DM with one
 * person finds the existing one or creates it; naming several creates a group DM
 * (up to ten people). Either needs a shared community with each person (unless
 * one side is an instance admin) and no block between them, either way.
 */
import { Hono, type Context } from "hono";
import { query } from "../../db/index.ts";
import { directPermissions, openDmSchema, uuidSchema } from "../../protocol/index.ts";
import { publishAccessChange } from "../access-changes.ts";
import { rateLimit } from "../abuse.ts";
import type { AppEnv } from "../context.ts";
import { AppError, notFound } from "../errors.ts";
import { limitBody, requireUser } from "../middleware.ts";
import { parse, parseJson } from "../validation.ts";
import { channelView } from "../views.ts";

const DM_PAGE = 200;
/** Opening conversations is cheap to ask for and a spam vector: a few a minute is plenty. */
const OPEN_LIMIT = rateLimit("open-dm", 30, 60);

/** Refuses a person the caller may not start a conversation with; the refusal does not say which rule. */
async function requireReachable(c: Context<AppEnv>, otherId: string): Promise<void> {
  const me = c.get("user");
  if (otherId === me.id) throw new AppError(400, "invalid_request", "you cannot open a conversation with yourself");
  const other = await query(c.env.DATABASE, "userById", { id: otherId });
  if (!other || other.deletedAt) throw notFound("that user");
  if (await query(c.env.DATABASE, "isBlockedEitherWay", { userId: me.id, otherId })) {
    throw new AppError(403, "blocked", "you cannot message this person");
  }
  const isAdminInvolved = me.isAdmin || other.isAdmin;
  if (!isAdminInvolved && !(await query(c.env.DATABASE, "sharesCommunity", { userId: me.id, otherId }))) {
    throw new AppError(403, "no_shared_community", "you can only message people you share a community with");
  }
}

export const directMessages = new Hono<AppEnv>()
  .use(requireUser)
  .get("/", async (c) => {
    const dms = await query(c.env.DATABASE, "dmsForUser", { userId: c.get("userId"), limit: DM_PAGE });
    const participants = await query(c.env.DATABASE, "participantsOfChannels", {
      channelIds: dms.map((dm) => dm.id),
    });
    return c.json({
      channels: dms.map((dm) => channelView(dm, directPermissions(false), participants.get(dm.id) ?? [])),
    });
  })
  .post("/", OPEN_LIMIT, limitBody, async (c) => {
    const { userIds } = await parseJson(c, openDmSchema);
    const others = [...new Set(userIds)];
    for (const otherId of others) await requireReachable(c, otherId);
    const userId = c.get("userId");
    let channelId: string;
    let isNew = true;
    if (others.length === 1) {
      const opened = await query(c.env.DATABASE, "openDm", { userId, otherId: others[0]! });
      channelId = opened.channel.id;
      isNew = opened.isNew;
    } else {
      channelId = (await query(c.env.DATABASE, "createGroupDm", { creatorId: userId, memberIds: others })).id;
    }
    if (isNew) {
      await publishAccessChange(c, {
        kind: "dm.created",
        communityId: null,
        channelId,
        userId: null,
        details: { participants: [userId, ...others] },
      });
    }
    const context = await query(c.env.DATABASE, "channelContext", { channelId, userId });
    if (context?.scope !== "direct") throw notFound("that conversation");
    const view = channelView(context.channel, directPermissions(context.isBlocked), context.participants);
    return c.json({ channel: view, isNew }, isNew ? 201 : 200);
  })
  .post("/:channelId/leave", async (c) => {
    const channelId = parse(uuidSchema, c.req.param("channelId"));
    const userId = c.get("userId");
    const context = await query(c.env.DATABASE, "channelContext", { channelId, userId });
    if (context?.scope !== "direct") throw notFound("that conversation");
    if (context.channel.kind !== "group_dm")
      throw new AppError(400, "cannot_leave_dm", "a 1:1 conversation cannot be left; block the person instead");
    await query(c.env.DATABASE, "leaveGroupDm", { channelId, userId });
    await publishAccessChange(c, { kind: "dm.left", communityId: null, channelId, userId });
    return c.body(null, 204);
  });
