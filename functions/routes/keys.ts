/**
 * /api/keys: the key directory of end-to-end encryption. A person sets their
 * account key, registers the device key of the session they use (cross-signed by
 * the account key; the server checks the signature before listing it), and keeps a
 * stock of KeyPackages. Anyone signed in reads their public keys; those who share a
 * community or a conversation with them claim one KeyPackage per device to add them to a group.
 * A device is a session: revoking the session (DELETE /api/sessions/:id) retires it.
 */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { query, type DeviceRecord } from "../../db/index.ts";
import {
  accountKeySchema,
  claimKeyPackagesSchema,
  base64ToBytes,
  bytesToBase64,
  deviceKeySchema,
  KEY_PACKAGE_UPLOAD_BODY_MAX_BYTES,
  KEY_PACKAGES_PER_DEVICE_MAX,
  uploadKeyPackagesSchema,
  uuidSchema,
  type ClaimedKeyPackageView,
  type DeviceView,
  type MlsWelcomeView,
  type UserKeysView,
} from "../../protocol/index.ts";
import { isDeviceCertified } from "../../protocol/index.ts";
import { rateLimit } from "../abuse.ts";
import { audit } from "../audit.ts";
import type { AppEnv } from "../context.ts";
import { announceDeviceChange, announceWelcomes } from "../../rooms/index.ts";
import { AppError, notFound } from "../errors.ts";
import { limitBody, requireUser } from "../middleware.ts";
import { parse, parseJson } from "../validation.ts";
import { z } from "zod";
import { confirmKeyChange, keyBackup, keyChangeProofSchema } from "./key-backup.ts";

/** Claiming spends someone else's one-time KeyPackages: enough for adding people to groups, not for draining them. */
const CLAIM_LIMIT = rateLimit("key-package-claim", 60, 60);
const HOUR_SECONDS = 60 * 60;
/**
 * Claims of one person by one other person an hour: adding them to every channel of a big
 * community at once fits; a co-member claiming in a loop to leave nobody a package does not.
 */
const CLAIMS_PER_CLAIMER_AND_TARGET_PER_HOUR = 30;
/**
 * One-time KeyPackages handed out for one person an hour, whoever claims: past it, claimers
 * get the devices' last-resort packages, so many co-members together cannot drain them either.
 */
const ONE_TIME_CLAIMS_PER_TARGET_PER_HOUR = 100;
/** A device with fewer one-time KeyPackages than this after a claim is told to upload more. */
const KEY_PACKAGES_LOW_STOCK = 10;

const replaceAccountKeySchema = accountKeySchema.extend(keyChangeProofSchema.shape);

const limitUpload = bodyLimit({
  maxSize: KEY_PACKAGE_UPLOAD_BODY_MAX_BYTES,
  onError: () => {
    throw new AppError(
      413,
      "body_too_large",
      `a KeyPackage upload is limited to ${KEY_PACKAGE_UPLOAD_BODY_MAX_BYTES} bytes`,
    );
  },
});

const WELCOMES_PAGE = 100;
const welcomesQuerySchema = z.object({ after: z.coerce.number().int().min(0).default(0) });

/** A time to the day only: when a device came and went, not when its owner signs in. */
const dayOf = (at: Date) => `${at.toISOString().slice(0, 10)}T00:00:00.000Z`;

const deviceView = (device: DeviceRecord, options: { showsDays: boolean } = { showsDays: true }): DeviceView => ({
  deviceId: device.sessionId,
  userId: device.userId,
  signaturePublicKey: bytesToBase64(device.signaturePublicKey),
  crossSignature: bytesToBase64(device.crossSignature),
  isSignedByCurrentKey: device.isSignedByCurrentKey,
  isRevoked: device.revokedAt !== null,
  createdAt: options.showsDays ? dayOf(device.createdAt) : null,
  revokedAt: options.showsDays && device.revokedAt ? dayOf(device.revokedAt) : null,
});

/**
 * The person named in the path, if they exist. Public keys are readable by anyone signed in:
 * a reader must verify messages from people who have since left every place they shared (a
 * newcomer reading a channel's history meets them), and the ids are random, not guessable.
 */
async function existingUser(c: Context<AppEnv>): Promise<string> {
  const id = uuidSchema.safeParse(c.req.param("userId"));
  const user = id.success ? await query(c.env.DATABASE, "userById", { id: id.data }) : null;
  if (!user || user.deletedAt) throw notFound("that user");
  return user.id;
}

/** The person named in the path, when the caller may claim their KeyPackages (shares a place with them); else 404. */
async function reachableUser(c: Context<AppEnv>): Promise<string> {
  const id = uuidSchema.safeParse(c.req.param("userId"));
  const viewerId = c.get("userId");
  if (!id.success || !(await query(c.env.DATABASE, "sharesPlaceWith", { viewerId, userId: id.data }))) {
    throw notFound("that user");
  }
  return id.data;
}

export const keys = new Hono<AppEnv>()
  .use(requireUser)
  .put("/account", limitBody, async (c) => {
    const body = await parseJson(c, replaceAccountKeySchema);
    const { publicKey } = body;
    const userId = c.get("userId");
    // Replacing the key (not setting the first, nor the same again) makes every device and
    // the backup start over: a stolen access token alone must not do it.
    const existing = await query(c.env.DATABASE, "accountKeyOf", { userId });
    if (existing && !Buffer.from(existing.key.publicKey).equals(Buffer.from(base64ToBytes(publicKey)))) {
      await confirmKeyChange(c, body, "replacing your account key");
    }
    const result = await query(c.env.DATABASE, "setAccountKey", { userId, publicKey: base64ToBytes(publicKey) });
    if (result.change !== "unchanged") {
      await audit(c, result.change === "created" ? "account_key.created" : "account_key.replaced");
    }
    // Members' clients drop the devices under the replaced key; the person's other sessions see it.
    if (result.change === "replaced") await announceDeviceChange(c.env, userId);
    const current = await query(c.env.DATABASE, "accountKeyOf", { userId });
    return c.json(
      {
        accountKey: {
          publicKey,
          createdAt: result.key.createdAt.toISOString(),
          replacedKeys: current?.replacedKeys ?? 0,
        },
      },
      result.change === "unchanged" ? 200 : 201,
    );
  })
  .put("/devices/current", limitBody, async (c) => {
    const body = await parseJson(c, deviceKeySchema);
    const userId = c.get("userId");
    const deviceId = c.get("sessionId");
    const account = await query(c.env.DATABASE, "accountKeyOf", { userId });
    if (!account) throw new AppError(409, "no_account_key", "set your account key (PUT /api/keys/account) first");
    const signaturePublicKey = base64ToBytes(body.signaturePublicKey);
    const crossSignature = base64ToBytes(body.crossSignature);
    const device = { userId, deviceId, signaturePublicKey };
    if (!(await isDeviceCertified(account.key.publicKey, crossSignature, device))) {
      throw new AppError(400, "invalid_cross_signature", "the cross-signature does not verify under your account key");
    }
    const result = await query(c.env.DATABASE, "registerDevice", {
      sessionId: deviceId,
      userId,
      signaturePublicKey,
      crossSignature,
      accountKeyId: account.key.id,
    });
    if (!result.ok) {
      throw new AppError(
        409,
        "device_key_differs",
        "this device already has another key: sign in again for a new device",
      );
    }
    const devices = await query(c.env.DATABASE, "devicesOf", { userId });
    const mine = devices.find((candidate) => candidate.sessionId === deviceId)!;
    return c.json({ device: deviceView(mine) }, result.isNew ? 201 : 200);
  })
  .get("/devices/current/key-packages", async (c) => {
    return c.json(await query(c.env.DATABASE, "keyPackageStock", { sessionId: c.get("sessionId") }));
  })
  .post("/devices/current/key-packages", limitUpload, async (c) => {
    const body = await parseJson(c, uploadKeyPackagesSchema);
    const sessionId = c.get("sessionId");
    const devices = await query(c.env.DATABASE, "devicesOf", { userId: c.get("userId") });
    if (!devices.some((device) => device.sessionId === sessionId)) {
      throw new AppError(
        409,
        "device_not_registered",
        "register this device's key (PUT /api/keys/devices/current) first",
      );
    }
    const result = await query(c.env.DATABASE, "addKeyPackages", {
      sessionId,
      keyPackages: body.keyPackages.map(base64ToBytes),
      lastResort: body.lastResort ? base64ToBytes(body.lastResort) : null,
      maxStock: KEY_PACKAGES_PER_DEVICE_MAX,
    });
    if (!result.ok) {
      throw new AppError(
        409,
        "too_many_key_packages",
        `a device keeps at most ${KEY_PACKAGES_PER_DEVICE_MAX} one-time KeyPackages; it has ${result.available}`,
      );
    }
    // The device can be added to groups now: members' open clients look at their pending lists.
    await announceDeviceChange(c.env, c.get("userId"));
    return c.json(await query(c.env.DATABASE, "keyPackageStock", { sessionId }));
  })
  // Behind this app's requireUser, like every route here.
  .route("/backup", keyBackup)
  .get("/welcomes", async (c) => {
    const { after } = parse(welcomesQuerySchema, c.req.query());
    const welcomes = await query(c.env.DATABASE, "mlsWelcomesFor", {
      deviceId: c.get("sessionId"),
      afterId: after,
      limit: WELCOMES_PAGE,
    });
    return c.json({
      welcomes: welcomes.map((entry): MlsWelcomeView => ({
        id: entry.id,
        channelId: entry.channelId,
        epoch: entry.epoch,
        generation: entry.generation,
        welcome: bytesToBase64(entry.welcome),
      })),
    });
  })
  .delete("/welcomes/:id", async (c) => {
    const id = Number(c.req.param("id"));
    const isDeleted =
      Number.isSafeInteger(id) &&
      id > 0 &&
      (await query(c.env.DATABASE, "deleteMlsWelcome", { deviceId: c.get("sessionId"), id }));
    if (!isDeleted) throw notFound("that Welcome");
    return c.body(null, 204);
  })
  .get("/users/:userId", async (c) => {
    const userId = await existingUser(c);
    // Keys are public (anyone who reads someone's old messages must verify them); the days
    // devices came and went are for those who share a place with their owner.
    const [account, devices, showsDays] = await Promise.all([
      query(c.env.DATABASE, "accountKeyOf", { userId }),
      query(c.env.DATABASE, "devicesOf", { userId }),
      query(c.env.DATABASE, "sharesPlaceWith", { viewerId: c.get("userId"), userId }),
    ]);
    const view: UserKeysView = {
      accountKey: account && {
        publicKey: bytesToBase64(account.key.publicKey),
        createdAt: account.key.createdAt.toISOString(),
        replacedKeys: account.replacedKeys,
      },
      devices: devices.map((device) => deviceView(device, { showsDays })),
    };
    return c.json(view);
  })
  .post("/users/:userId/claim", CLAIM_LIMIT, limitBody, async (c) => {
    const userId = await reachableUser(c);
    const me = c.get("userId");
    if (userId !== me && (await query(c.env.DATABASE, "isBlockedEitherWay", { userId: me, otherId: userId }))) {
      throw new AppError(403, "blocked", "you cannot add this person to a conversation");
    }
    // The body is optional (no body: every device); one that is sent is JSON like any other.
    const hasBody = Number(c.req.header("Content-Length") ?? 0) > 0 || c.req.header("Transfer-Encoding") !== undefined;
    const { deviceIds } = hasBody ? await parseJson(c, claimKeyPackagesSchema) : { deviceIds: undefined };
    const onlyLastResort = userId !== me && (await isOverClaimLimits(c, me, userId));
    // One's own device is never claimed: it is already in every group it should be in.
    const claimed = await query(c.env.DATABASE, "claimKeyPackages", {
      userId,
      exceptSessionId: c.get("sessionId"),
      deviceIds: deviceIds ?? null,
      onlyLastResort,
    });
    // Devices running low are told (their owner's account sockets): they upload more.
    const low = await query(c.env.DATABASE, "devicesLowOnKeyPackages", {
      sessionIds: claimed.map((entry) => entry.sessionId),
      below: KEY_PACKAGES_LOW_STOCK,
    });
    await announceWelcomes(c.env, low);
    const keyPackages = claimed.map((entry): ClaimedKeyPackageView => ({
      deviceId: entry.sessionId,
      keyPackage: bytesToBase64(entry.keyPackage),
      isLastResort: entry.isLastResort,
    }));
    return c.json({ keyPackages });
  });

/**
 * Counts this claim of `targetId` by `claimerId`: refused (429) past the claimer's hourly
 * allowance for this person; true when the person's one-time packages handed out this
 * hour are spent, so only last-resort ones go out.
 */
async function isOverClaimLimits(c: Context<AppEnv>, claimerId: string, targetId: string): Promise<boolean> {
  const pair = await query(c.env.DATABASE, "hitRateLimit", {
    key: `key-package-claim:${claimerId}:${targetId}`,
    windowSeconds: HOUR_SECONDS,
  });
  if (pair.count > CLAIMS_PER_CLAIMER_AND_TARGET_PER_HOUR) {
    const seconds = Math.max(1, Math.ceil((pair.resetsAt.getTime() - Date.now()) / 1000));
    throw new AppError(
      429,
      "rate_limited",
      `you have asked for this person's keys ${CLAIMS_PER_CLAIMER_AND_TARGET_PER_HOUR} times this hour: try again in ${Math.ceil(seconds / 60)} minutes`,
      { "Retry-After": String(seconds) },
    );
  }
  const target = await query(c.env.DATABASE, "hitRateLimit", {
    key: `key-package-claims-of:${targetId}`,
    windowSeconds: HOUR_SECONDS,
  });
  return target.count > ONE_TIME_CLAIMS_PER_TARGET_PER_HOUR;
}
