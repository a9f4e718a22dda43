/**
 * /api/channels/:channelId/mls: the channel's MLS group as the delivery service
 * holds it. Members read the group (epoch, GroupInfo, member devices) and the
 * handshake log from their epoch on; a device starts the group, and commits go to
 * the channel's room, which accepts one per epoch (the first wins; a later commit
 * built on the same epoch is told the current one, to catch up and retry).
 */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { query, type MlsCommitRecord, type MlsGroupRecord } from "../../db/index.ts";
import {
  base64ToBytes,
  bytesToBase64,
  createMlsGroupSchema,
  MLS_BODY_MAX_BYTES,
  MLS_COMMITS_PAGE_MAX,
  mlsCommitSchema,
  mlsLogQuerySchema,
  type MlsCommitView,
  type MlsGroupView,
} from "../../protocol/index.ts";
import { channelAccess } from "../channel-access.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireUser } from "../middleware.ts";
import { parse, parseJson } from "../validation.ts";

const limitMlsBody = bodyLimit({
  maxSize: MLS_BODY_MAX_BYTES,
  onError: () => {
    throw new AppError(413, "body_too_large", `MLS requests are limited to ${MLS_BODY_MAX_BYTES} bytes`);
  },
});

const groupView = (group: MlsGroupRecord): MlsGroupView => ({
  epoch: group.epoch,
  groupInfo: bytesToBase64(group.groupInfo),
  memberDeviceIds: group.memberDeviceIds,
});

const commitView = (commit: MlsCommitRecord): MlsCommitView => ({
  epoch: commit.epoch,
  commit: bytesToBase64(commit.commit),
  committerDeviceId: commit.committerDeviceId,
  createdAt: commit.createdAt.toISOString(),
});

/** The channel, for someone who may view it, from a session that registered its device key. */
async function deviceInChannel(c: Context<AppEnv>): Promise<{ channelId: string; deviceId: string }> {
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
  return { channelId: access.context.channel.id, deviceId };
}

// requireUser per route: these share their parent's paths with the ticket-authenticated socket route.
export const channelMls = new Hono<AppEnv>()
  .get("/:channelId/mls", requireUser, async (c) => {
    const access = await channelAccess(c, c.req.param("channelId"));
    const { fromEpoch } = parse(mlsLogQuerySchema, c.req.query());
    const channelId = access.context.channel.id;
    const group = await query(c.env.DATABASE, "mlsGroup", { channelId });
    const commits = group
      ? await query(c.env.DATABASE, "mlsCommitsSince", { channelId, fromEpoch, limit: MLS_COMMITS_PAGE_MAX })
      : [];
    return c.json({ group: group && groupView(group), commits: commits.map(commitView) });
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
  .post("/:channelId/mls/commits", requireUser, limitMlsBody, async (c) => {
    const { channelId, deviceId } = await deviceInChannel(c);
    const body = await parseJson(c, mlsCommitSchema);
    const result = await c.env.CHANNEL_ROOM.getByName(channelId).acceptMlsCommit({
      channelId,
      epoch: body.epoch,
      commit: base64ToBytes(body.commit),
      groupInfo: base64ToBytes(body.groupInfo),
      memberDeviceIds: body.memberDeviceIds,
      committerDeviceId: deviceId,
      welcomes: body.welcomes.map((entry) => ({ deviceId: entry.deviceId, welcome: base64ToBytes(entry.welcome) })),
    });
    if (result.ok) return c.json({ epoch: result.epoch }, 201);
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
