/**
 * /api/dms: direct conversations outside communities. Opening a DM with one
 * person finds the existing one or creates it; naming several creates a group DM
 * (up to ten people). Either needs a shared community with each person (unless
 * one side is an instance admin) and no block between them, either way. A group
 * DM's participants rename it, add people (the same rules, up to ten) and leave it.
 */
import { Hono, type Context } from "hono";
import { query } from "../../db/index.ts";
import { directPermissions, GROUP_DM_MAX_MEMBERS, openDmSchema, uuidSchema } from "../../protocol/index.ts";
import {
  addDmParticipantsSchema,
  DM_CANDIDATES_MAX,
  dmCandidatesQuerySchema,
  renameDmSchema,
  UNNAMED_GROUP_DM,
  type DmCandidateView,
} from "../../protocol/direct-messages.ts";
import { publishAccessChange } from "../access-changes.ts";
import { rateLimit } from "../abuse.ts";
import type { AppEnv } from "../context.ts";
import { AppError, notFound } from "../errors.ts";
import { limitBody, requireUser } from "../middleware.ts";
import { parse, parseJson } from "../validation.ts";
import { channelView, pictureUrl } from "../views.ts";
import { tellPeople } from "./direct-notices.ts";

const DM_PAGE = 200;
/** Opening conversations is cheap to ask for and a spam vector: a few a minute is plenty. */
const OPEN_LIMIT = rateLimit("open-dm", 30, 60);
/** Renames and additions notify everyone in the conversation: bounded like opening. */
const MANAGE_LIMIT = rateLimit("manage-dm", 30, 60);
/** The picker searches as one types. */
const SEARCH_LIMIT = rateLimit("dm-candidates", 120, 60);

/** Refuses a person the caller may not start a conversation with; the refusal does not say which rule. */
async function requireReachable(c: Context<AppEnv>, otherId: string, options: { orHasDm?: boolean } = {}) {
  const me = c.get("user");
  if (otherId === me.id) throw new AppError(400, "invalid_request", "you cannot open a conversation with yourself");
  const other = await query(c.env.DATABASE, "userById", { id: otherId });
  if (!other || other.deletedAt) throw notFound("that user");
  if (await query(c.env.DATABASE, "isBlockedEitherWay", { userId: me.id, otherId })) {
    throw new AppError(403, "blocked", "you cannot message this person");
  }
  if (me.isAdmin || other.isAdmin) return;
  if (await query(c.env.DATABASE, "sharesCommunity", { userId: me.id, otherId })) return;
  // Adding to a group: someone one already talks with 1:1 is reachable too.
  if (options.orHasDm && (await query(c.env.DATABASE, "dmBetween", { userId: me.id, otherId }))) return;
  throw new AppError(403, "no_shared_community", "you can only message people you share a community with");
}

/** The group DM as its participant sees it; 404 for anyone else, 400 for a 1:1 DM. */
async function requireGroupDm(c: Context<AppEnv>, what: string) {
  const channelId = parse(uuidSchema, c.req.param("channelId"));
  const context = await query(c.env.DATABASE, "channelContext", { channelId, userId: c.get("userId") });
  if (context?.scope !== "direct") throw notFound("that conversation");
  if (context.channel.kind !== "group_dm") {
    throw new AppError(400, "not_a_group", `only a group conversation can be ${what}; start a group instead`);
  }
  return context;
}

export const directMessages = new Hono<AppEnv>()
  .use(requireUser)
  .get("/", async (c) => {
    const userId = c.get("userId");
    const dms = await query(c.env.DATABASE, "dmsForUser", { userId, limit: DM_PAGE });
    const channelIds = dms.map((dm) => dm.id);
    const [participants, blocked] = await Promise.all([
      query(c.env.DATABASE, "participantsOfChannels", { channelIds }),
      query(c.env.DATABASE, "blockedConversationIds", { userId, channelIds }),
    ]);
    return c.json({
      channels: dms.map((dm) => channelView(dm, directPermissions(blocked.has(dm.id)), participants.get(dm.id) ?? [])),
    });
  })
  .get("/candidates", SEARCH_LIMIT, async (c) => {
    const search = parse(dmCandidatesQuerySchema, c.req.query("q") ?? "");
    const people = await query(c.env.DATABASE, "dmCandidates", {
      userId: c.get("userId"),
      search,
      limit: DM_CANDIDATES_MAX,
    });
    return c.json({
      people: people.map(({ avatarId, ...person }): DmCandidateView => ({
        ...person,
        avatarUrl: pictureUrl(avatarId),
      })),
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
  .patch("/:channelId", MANAGE_LIMIT, limitBody, async (c) => {
    const context = await requireGroupDm(c, "renamed");
    const { name } = await parseJson(c, renameDmSchema);
    const renamed = await query(c.env.DATABASE, "renameGroupDm", {
      channelId: context.channel.id,
      name: name || UNNAMED_GROUP_DM,
    });
    if (!renamed) throw notFound("that conversation");
    await tellPeople(
      c,
      context.participants.map((person) => person.userId),
      "dms",
    );
    return c.json({ channel: channelView(renamed, directPermissions(false), context.participants) });
  })
  .post("/:channelId/participants", MANAGE_LIMIT, limitBody, async (c) => {
    const context = await requireGroupDm(c, "joined");
    const { userIds } = await parseJson(c, addDmParticipantsSchema);
    const newcomers = [...new Set(userIds)];
    for (const otherId of newcomers) await requireReachable(c, otherId, { orHasDm: true });
    const added = await query(c.env.DATABASE, "addGroupDmParticipants", {
      channelId: context.channel.id,
      userIds: newcomers,
      maxMembers: GROUP_DM_MAX_MEMBERS,
    });
    if (!added.ok) {
      if (added.reason === "already_in") throw new AppError(409, "already_in", "someone you named is already here");
      if (added.reason === "full")
        throw new AppError(409, "group_full", `a group DM holds at most ${GROUP_DM_MAX_MEMBERS} people`);
      throw notFound("that conversation");
    }
    const everyone = [...context.participants.map((person) => person.userId), ...newcomers];
    // For the newcomers the conversation is new (the membership event log records them with
    // who added them); everyone's account sockets read their list again.
    await publishAccessChange(c, {
      kind: "dm.created",
      communityId: null,
      channelId: context.channel.id,
      userId: null,
      details: { participants: everyone, added: newcomers, addedBy: c.get("userId") },
    });
    const after = await query(c.env.DATABASE, "channelContext", {
      channelId: context.channel.id,
      userId: c.get("userId"),
    });
    if (after?.scope !== "direct") throw notFound("that conversation");
    return c.json({ channel: channelView(after.channel, directPermissions(false), after.participants) });
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
    // Those who stay see the leaver gone from the conversation's people at once.
    await tellPeople(
      c,
      context.participants.map((person) => person.userId).filter((id) => id !== userId),
      "dms",
    );
    return c.body(null, 204);
  });
