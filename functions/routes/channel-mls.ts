/**
 * /api/channels/:channelId/mls: the channel's MLS group as the delivery service
 * holds it. Members read the group (epoch, GroupInfo, member devices) and the
 * handshake log from their epoch on; a device starts the group, and commits go to
 * the channel's room, which accepts one per epoch (the first wins; a later commit
 * built on the same epoch is told the current one, to catch up and retry). What a
 * device posts is parsed and its signatures verified first (protocol/mls-wire.ts):
 * bytes no member could process would leave the channel unable to send for good.
 */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { query, type ChannelContextRecord, type MlsCommitRecord, type MlsGroupRecord } from "../../db/index.ts";
import { announceWelcomes, permissionsIn } from "../../rooms/index.ts";
import { userRateLimit } from "../abuse.ts";
import {
  base64ToBytes,
  bytesToBase64,
  checkCommit,
  checkGroupStart,
  createMlsGroupSchema,
  E2EE_MEMBERS_MAX,
  MLS_BODY_MAX_BYTES,
  MLS_COMMITS_PAGE_MAX,
  mlsCommitSchema,
  mlsLogQuerySchema,
  refoundMlsGroupSchema,
  MlsWireError,
  has,
  Permission,
  type Committer,
  type MlsCommitView,
  type MlsPendingView,
  type MlsGroupView,
} from "../../protocol/index.ts";
import { channelAccess } from "../channel-access.ts";
import type { AppEnv } from "../context.ts";
import { AppError, errorFields } from "../errors.ts";
import { requireUser } from "../middleware.ts";
import { parse, parseJson } from "../validation.ts";

const limitMlsBody = bodyLimit({
  maxSize: MLS_BODY_MAX_BYTES,
  onError: () => {
    throw new AppError(413, "body_too_large", `MLS requests are limited to ${MLS_BODY_MAX_BYTES} bytes`);
  },
});

/**
 * Commits are rare: a member joins or leaves, a device is added, an epoch rotates (a
 * week or 1,000 messages). One person's attempts over all their devices and channels,
 * losing races included: a new device joins each channel it opens by one commit.
 */
const COMMIT_LIMIT = userRateLimit("mls-commit", 60, 60);
/**
 * Commits a channel accepts in a window, from everyone: each goes to every member's
 * device to process. A burst of joins needs few, since a commit adds every device
 * pending at the time; beyond this, commits wait (429 with Retry-After).
 */
const CHANNEL_COMMITS = { commits: 100, windowSeconds: 5 * 60 };
/**
 * Founding a group again sends every member's device through a new join: once per channel
 * in this window at most, whoever asks (a device stuck again soon after waits its turn).
 */
const CHANNEL_REFOUNDINGS = { windowSeconds: 10 * 60 };
/** Attempts per person, counted before the checks (each verifies a signature), as for commits. */
const REFOUND_LIMIT = userRateLimit("mls-refound", 60, 60);

const groupView = (group: MlsGroupRecord, messagesInEpoch = 0): MlsGroupView => ({
  epoch: group.epoch,
  groupInfo: bytesToBase64(group.groupInfo),
  memberDeviceIds: group.memberDeviceIds,
  generation: group.generation,
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
): Promise<{ channelId: string; committer: Committer; context: ChannelContextRecord }> {
  const access = await channelAccess(c, c.req.param("channelId")!);
  const userId = c.get("userId");
  const deviceId = c.get("sessionId");
  const devices = await query(c.env.DATABASE, "devicesOf", { userId });
  const device = devices.find((candidate) => candidate.sessionId === deviceId);
  if (!device) {
    throw new AppError(
      409,
      "device_not_registered",
      "register this device's key (PUT /api/keys/devices/current) first",
    );
  }
  // A device left under a key its person replaced (they started over: perhaps it was lost or
  // stolen) is no longer theirs: it starts, joins or changes no group.
  if (!device.isSignedByCurrentKey) {
    throw new AppError(
      409,
      "device_key_replaced",
      "this device is under an account key you replaced by starting over: sign in again for a new device",
    );
  }
  const committer = { userId, deviceId, signaturePublicKey: device.signaturePublicKey };
  return { channelId: access.context.channel.id, committer, context: access.context };
}

/** Runs an MLS check; what it refuses is a 400 `invalid_commit` or `invalid_group_info` that changed nothing. */
async function verified(check: Promise<void>): Promise<void> {
  try {
    await check;
  } catch (error) {
    if (error instanceof MlsWireError) throw new AppError(400, `invalid_${error.subject}`, error.message);
    throw error;
  }
}

const staleEpoch = (c: Context<AppEnv>, epoch: number) =>
  c.json(
    {
      error: errorFields(c, "stale_epoch", `the group is at epoch ${epoch}: process the commits since, then retry`),
      epoch,
    },
    409,
  );

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
          // The channel's own setting only: a community member granted a private channel later
          // is not "a member since its start" (members' devices decide by their own rule anyway).
          readsFromStart: channel.newcomerHistory === "from_start",
        }))
        .filter((entry) => entry.deviceIds.length > 0),
      remove: [...inGroup].filter((id) => !wanted.has(id)),
    };
    return c.json(pending);
  })
  .post("/:channelId/mls", requireUser, limitMlsBody, async (c) => {
    const { channelId, committer } = await deviceInChannel(c);
    const body = await parseJson(c, createMlsGroupSchema);
    const groupInfo = base64ToBytes(body.groupInfo);
    await verified(checkGroupStart({ channelId, groupInfo, committer }));
    if (body.memberDeviceIds.length !== 1 || body.memberDeviceIds[0] !== committer.deviceId)
      throw new AppError(400, "invalid_group_info", "a new group holds the creating device alone");
    const result = await query(c.env.DATABASE, "createMlsGroup", {
      channelId,
      groupInfo,
      memberDeviceIds: body.memberDeviceIds,
    });
    if (!result.isNew) {
      return c.json(
        {
          error: errorFields(c, "group_exists", "this channel's group exists: join it"),
          group: groupView(result.group),
        },
        409,
      );
    }
    return c.json({ group: groupView(result.group) }, 201);
  })
  .post("/:channelId/mls/commits", requireUser, COMMIT_LIMIT, limitMlsBody, async (c) => {
    const { channelId, committer, context } = await deviceInChannel(c);
    const body = await parseJson(c, mlsCommitSchema);
    const group = await query(c.env.DATABASE, "mlsGroup", { channelId });
    if (!group) throw new AppError(409, "no_group", "this channel has no group yet: start it first");
    // A commit that lost the race is told so before any verifying; the room checks the epoch again.
    if (group.epoch !== body.epoch) return staleEpoch(c, group.epoch);
    const commit = base64ToBytes(body.commit);
    const groupInfo = base64ToBytes(body.groupInfo);
    await verified(
      checkCommit({ channelId, epoch: body.epoch, commit, groupInfo, currentGroupInfo: group.groupInfo, committer }),
    );
    // A Welcome is kept only for devices of people who may view the channel: anyone's
    // device ids are public, and nobody may fill a stranger's Welcome queue.
    const viewerDevices = new Set((await viewersOf(c, context)).flatMap((viewer) => viewer.deviceIds));
    const welcomeDeviceIds = (body.welcomeDeviceIds ?? []).filter((id) => viewerDevices.has(id));
    const result = await c.env.CHANNEL_ROOM.getByName(channelId).acceptMlsCommit({
      channelId,
      epoch: body.epoch,
      commit,
      groupInfo,
      memberDeviceIds: body.memberDeviceIds,
      committerDeviceId: committer.deviceId,
      welcome: body.welcome ? base64ToBytes(body.welcome) : null,
      welcomeDeviceIds,
      limit: CHANNEL_COMMITS,
    });
    if (result.ok) {
      await announceWelcomes(c.env, body.welcome ? welcomeDeviceIds : []);
      return c.json({ epoch: result.epoch }, 201);
    }
    if (result.reason === "too_many_commits") {
      throw new AppError(
        429,
        "too_many_commits",
        `this channel took ${CHANNEL_COMMITS.commits} commits in ${CHANNEL_COMMITS.windowSeconds / 60} minutes: try again later`,
        { "Retry-After": String(result.retryAfterSeconds) },
      );
    }
    if (result.reason === "no_group")
      throw new AppError(409, "no_group", "this channel has no group yet: start it first");
    return staleEpoch(c, result.epoch!);
  })
  // A member's device that cannot process the log (a commit it must refuse or cannot read)
  // starts the group again: a new generation at epoch 0 with that device alone, which then
  // adds everyone by its own rules; the others find the new generation and join it.
  .post("/:channelId/mls/refound", requireUser, REFOUND_LIMIT, limitMlsBody, async (c) => {
    const { channelId, committer } = await deviceInChannel(c);
    const body = await parseJson(c, refoundMlsGroupSchema);
    const group = await query(c.env.DATABASE, "mlsGroup", { channelId });
    if (!group) throw new AppError(409, "no_group", "this channel has no group yet: start it first");
    if (!group.memberDeviceIds.includes(committer.deviceId))
      throw new AppError(403, "not_a_member", "only a device in the channel's group may found it again");
    if (group.epoch !== body.fromEpoch) return staleEpoch(c, group.epoch);
    const groupInfo = base64ToBytes(body.groupInfo);
    await verified(checkGroupStart({ channelId, groupInfo, committer }));
    if (body.memberDeviceIds.length !== 1 || body.memberDeviceIds[0] !== committer.deviceId)
      throw new AppError(400, "invalid_group_info", "a new group holds the creating device alone");
    const result = await c.env.CHANNEL_ROOM.getByName(channelId).refoundMlsGroup({
      channelId,
      fromEpoch: body.fromEpoch,
      groupInfo,
      memberDeviceIds: body.memberDeviceIds,
      limit: CHANNEL_REFOUNDINGS,
      committerDeviceId: committer.deviceId,
    });
    if (result.ok) return c.json({ group: groupView(result.group) }, 201);
    if (result.reason === "too_many_refoundings") {
      throw new AppError(
        429,
        "too_many_refoundings",
        `this channel's group was founded again less than ${CHANNEL_REFOUNDINGS.windowSeconds / 60} minutes ago: try again later`,
        { "Retry-After": String(result.retryAfterSeconds) },
      );
    }
    if (result.reason === "no_group")
      throw new AppError(409, "no_group", "this channel has no group yet: start it first");
    return staleEpoch(c, result.epoch!);
  });
