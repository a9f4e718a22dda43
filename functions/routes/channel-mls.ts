/**
 * /api/channels/:channelId/mls: the channel's MLS group as the delivery service
 * holds it. Members read the group (epoch, GroupInfo, member devices) and the
 * handshake log from their epoch on; a device starts the group, and commits go to
 * the channel's room, which accepts one per epoch (the first wins; a later commit
 * built on the same epoch is told the current one, to catch up and retry).
 */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { query, type ChannelContextRecord, type MlsCommitRecord, type MlsGroupRecord } from "../../db/index.ts";
import { announceWelcomes, permissionsIn } from "../../rooms/index.ts";
import { userRateLimit } from "../abuse.ts";
import {
  base64ToBytes,
  bytesToBase64,
  createMlsGroupSchema,
  E2EE_MEMBERS_MAX,
  MLS_BODY_MAX_BYTES,
  MLS_COMMITS_PAGE_MAX,
  mlsCommitSchema,
  mlsLogQuerySchema,
  has,
  Permission,
  type MlsCommitView,
  type MlsPendingView,
  type MlsGroupView,
} from "../../protocol/index.ts";
import { channelAccess } from "../channel-access.ts";
import type { AppEnv } from "../context.ts";
import { rateLimit } from "../abuse.ts";
import { AppError } from "../errors.ts";
import { requireUser } from "../middleware.ts";
import { parse, parseJson } from "../validation.ts";

const limitMlsBody = bodyLimit({
  maxSize: MLS_BODY_MAX_BYTES,
  onError: () => {
    throw new AppError(413, "body_too_large", `MLS requests are limited to ${MLS_BODY_MAX_BYTES} bytes`);
  },
});

/** Commits are rare (a member joins or leaves, a device is added): a flood is not a client. */
const COMMIT_LIMIT = rateLimit("mls-commit", 60, 60);

const groupView = (group: MlsGroupRecord, messagesInEpoch = 0): MlsGroupView => ({
  epoch: group.epoch,
  groupInfo: bytesToBase64(group.groupInfo),
  memberDeviceIds: group.memberDeviceIds,
  epochStartedAt: group.updatedAt.toISOString(),
  messagesInEpoch,
});

const commitView = (commit: MlsCommitRecord): MlsCommitView => ({
  epoch: commit.epoch,
  commit: bytesToBase64(commit.commit),
  committerDeviceId: commit.committerDeviceId,
  createdAt: commit.createdAt.toISOString(),
});

/** The channel, for someone who may view it, from a session that registered its device key. */
async function deviceInChannel(
  c: Context<AppEnv>,
): Promise<{ channelId: string; deviceId: string; context: ChannelContextRecord }> {
  const access = await channelAccess(c, c.req.param("channelId")!);
  const deviceId = c.get("sessionId");
  const devices = await query(c.env.DATABASE, "devicesOf", { userId: c.get("userId") });
  if (!devices.some((device) => device.sessionId === deviceId)) {
    throw new AppError(
      409,
      "device_not_registered",
      "register this device's key (PUT /api/keys/devices/current) first",
    );
  }
  return { channelId: access.context.channel.id, deviceId, context: access.context };
}

/** Who may view the channel now, with their devices, by the same permission function the rooms use. */
async function viewersOf(c: Context<AppEnv>, context: ChannelContextRecord) {
  const { channel } = context;
  const audience = await query(c.env.DATABASE, "channelDeviceAudience", { channelId: channel.id });
  const now = Date.now();
  const everyone = audience.roles.find((role) => role.isEveryone);
  return audience.members.filter((member) => {
    if (context.scope === "direct") return true;
    const memberContext: ChannelContextRecord = {
      channel,
      scope: "community",
      overrides: context.overrides,
      member: {
        community: context.member.community,
        everyone: everyone!,
        roles: audience.roles.filter((role) => member.roleIds.includes(role.id)),
        timedOutUntil: member.timedOutUntil,
      },
    };
    return has(permissionsIn(memberContext, member.userId, now), Permission.VIEW_CHANNEL);
  });
}

// requireUser per route: these share their parent's paths with the ticket-authenticated socket route.
/** Its answer grows with members times devices; a client asks when told something changed. */
const PENDING_LIMIT = userRateLimit("mls-pending", 300, 60);

export const channelMls = new Hono<AppEnv>()
  .get("/:channelId/mls", requireUser, async (c) => {
    const access = await channelAccess(c, c.req.param("channelId"));
    const { fromEpoch } = parse(mlsLogQuerySchema, c.req.query());
    const channelId = access.context.channel.id;
    const group = await query(c.env.DATABASE, "mlsGroupWithActivity", { channelId });
    const commits = group
      ? await query(c.env.DATABASE, "mlsCommitsSince", { channelId, fromEpoch, limit: MLS_COMMITS_PAGE_MAX })
      : [];
    return c.json({ group: group && groupView(group, group.messagesInEpoch), commits: commits.map(commitView) });
  })
  .get("/:channelId/mls/pending", requireUser, PENDING_LIMIT, async (c) => {
    const access = await channelAccess(c, c.req.param("channelId"));
    const { channel } = access.context;
    const [group, viewers] = await Promise.all([
      query(c.env.DATABASE, "mlsGroup", { channelId: channel.id }),
      viewersOf(c, access.context),
    ]);
    const inGroup = new Set(group?.memberDeviceIds ?? []);
    const wanted = new Set(viewers.flatMap((viewer) => viewer.deviceIds));
    const pending: MlsPendingView = {
      epoch: group?.epoch ?? null,
      isEndToEndEncrypted: viewers.length <= E2EE_MEMBERS_MAX,
      readers: viewers.length,
      add: viewers
        .map((viewer) => ({
          userId: viewer.userId,
          deviceIds: viewer.deviceIds.filter((id) => !inGroup.has(id)),
          readsFromStart: channel.newcomerHistory === "from_start" || viewer.isMemberSinceStart,
        }))
        .filter((entry) => entry.deviceIds.length > 0),
      remove: [...inGroup].filter((id) => !wanted.has(id)),
    };
    return c.json(pending);
  })
  .post("/:channelId/mls", requireUser, limitMlsBody, async (c) => {
    const { channelId } = await deviceInChannel(c);
    const body = await parseJson(c, createMlsGroupSchema);
    const result = await query(c.env.DATABASE, "createMlsGroup", {
      channelId,
      groupInfo: base64ToBytes(body.groupInfo),
      memberDeviceIds: body.memberDeviceIds,
    });
    if (!result.isNew) {
      return c.json(
        {
          error: { code: "group_exists", message: "this channel's group exists: join it" },
          group: groupView(result.group),
        },
        409,
      );
    }
    return c.json({ group: groupView(result.group) }, 201);
  })
  .post("/:channelId/mls/commits", requireUser, COMMIT_LIMIT, limitMlsBody, async (c) => {
    const { channelId, deviceId, context } = await deviceInChannel(c);
    const body = await parseJson(c, mlsCommitSchema);
    // A Welcome is kept only for devices of people who may view the channel: anyone's
    // device ids are public, and nobody may fill a stranger's Welcome queue.
    const viewerDevices = new Set((await viewersOf(c, context)).flatMap((viewer) => viewer.deviceIds));
    const welcomeDeviceIds = (body.welcomeDeviceIds ?? []).filter((id) => viewerDevices.has(id));
    const result = await c.env.CHANNEL_ROOM.getByName(channelId).acceptMlsCommit({
      channelId,
      epoch: body.epoch,
      commit: base64ToBytes(body.commit),
      groupInfo: base64ToBytes(body.groupInfo),
      memberDeviceIds: body.memberDeviceIds,
      committerDeviceId: deviceId,
      welcome: body.welcome ? base64ToBytes(body.welcome) : null,
      welcomeDeviceIds,
    });
    if (result.ok) {
      await announceWelcomes(c.env, body.welcome ? welcomeDeviceIds : []);
      return c.json({ epoch: result.epoch }, 201);
    }
    if (result.reason === "no_group")
      throw new AppError(409, "no_group", "this channel has no group yet: start it first");
    return c.json(
      {
        error: {
          code: "stale_epoch",
          message: `the group is at epoch ${result.epoch}: process the commits since, then retry`,
        },
        epoch: result.epoch,
      },
      409,
    );
  });
