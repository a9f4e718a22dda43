/**
 * The MLS delivery service over HTTP: a channel's group (epoch, GroupInfo, member
 * devices), its handshake log with one commit per epoch, and Welcomes queued per
 * device. MLS messages travel as padded base64; the server verifies commits and
 * GroupInfos (mls-wire.ts) and relays each accepted commit to the channel's sockets
 * as a `handshake` frame.
 */
import { z } from "zod";
import { opaqueBytesSchema } from "./keys.ts";

export const MLS_GROUP_INFO_MAX_BYTES = 512 * 1024;
export const MLS_COMMIT_MAX_BYTES = 256 * 1024;
export const MLS_WELCOME_MAX_BYTES = 512 * 1024;
/**
 * People a channel may have and still be end-to-end encrypted: measured workable on
 * this kind of machine (bench/e2ee.ts: at 1,000 members a commit takes ~0.7 s, a
 * Welcome ~400 KiB). A bigger channel is marked as not end-to-end encrypted.
 */
export const E2EE_MEMBERS_MAX = 1000;
/** Devices in one group: the issue aims at 1,000 members, with a few devices each. */
export const MLS_GROUP_DEVICES_MAX = 4000;
/** The request body of a commit at most: GroupInfo, commit and Welcomes together. */
export const MLS_BODY_MAX_BYTES = 4 * 1024 * 1024;
/** Commits per page of the handshake log. */
export const MLS_COMMITS_PAGE_MAX = 100;
/**
 * A commit up to this size rides in its `handshake` frame; a larger one (adding many
 * devices at once) would be pushed to every socket of the channel at once, so the
 * frame goes without it and clients fetch it from the handshake log.
 */
export const MLS_HANDSHAKE_COMMIT_MAX_BYTES = 16 * 1024;

const memberDeviceIdsSchema = z
  .array(z.uuid())
  .min(1)
  .max(MLS_GROUP_DEVICES_MAX)
  .refine((ids) => new Set(ids).size === ids.length, "a device is in a group once");

export const createMlsGroupSchema = z.strictObject({
  groupInfo: opaqueBytesSchema(MLS_GROUP_INFO_MAX_BYTES, "a GroupInfo"),
  memberDeviceIds: memberDeviceIdsSchema,
});

export const mlsCommitSchema = z
  .strictObject({
    /** The epoch the commit was built on: accepted only while it is still the group's epoch. */
    epoch: z.number().int().min(0),
    commit: opaqueBytesSchema(MLS_COMMIT_MAX_BYTES, "a commit"),
    /** The GroupInfo of the new epoch, for devices that join by external commit. */
    groupInfo: opaqueBytesSchema(MLS_GROUP_INFO_MAX_BYTES, "a GroupInfo"),
    /** The devices in the group after this commit. */
    memberDeviceIds: memberDeviceIdsSchema,
    /** The commit's Welcome (one for all the devices it adds), stored once and queued for each. */
    welcome: opaqueBytesSchema(MLS_WELCOME_MAX_BYTES, "a Welcome").optional(),
    welcomeDeviceIds: memberDeviceIdsSchema.optional(),
  })
  .refine(
    (commit) => !commit.welcome === !commit.welcomeDeviceIds,
    "a Welcome goes with the devices it adds, and only then",
  );

export const refoundMlsGroupSchema = z.strictObject({
  /** The epoch the group is at on the server: refused when it moved on meanwhile. */
  fromEpoch: z.number().int().min(0),
  /** The new group's GroupInfo: epoch 0, the re-founding device alone. */
  groupInfo: opaqueBytesSchema(MLS_GROUP_INFO_MAX_BYTES, "a GroupInfo"),
  memberDeviceIds: memberDeviceIdsSchema,
});

export const mlsLogQuerySchema = z.object({
  /** The epoch the client is at: the log answers with the commits from it on. */
  fromEpoch: z.coerce.number().int().min(0).default(0),
});

export interface MlsGroupView {
  epoch: number;
  /**
   * How many times the group was founded again: a member's device that could not process
   * a commit starts a new group (same id, epochs from 0 again) that the others join.
   */
  generation: number;
  groupInfo: string;
  memberDeviceIds: string[];
  /** When the group entered this epoch, and how many messages were stored since: for rotation. */
  epochStartedAt: string;
  messagesInEpoch: number;
}

export interface MlsCommitView {
  /** The epoch this commit was built on; it moved the group to epoch + 1. */
  epoch: number;
  commit: string;
  committerDeviceId: string;
  createdAt: string;
}

/**
 * What the group should change to match who may read the channel now (a join, a
 * leave, a kick, a ban, a role or override change, a device added or revoked): the
 * devices to add, by person (claim their KeyPackages), and the devices to remove.
 * Any online member commits it; until then, a removed person's sockets are closed.
 */
export interface MlsPendingView {
  /** The group's epoch, or null when the channel has no group yet. */
  epoch: number | null;
  /** False when more than E2EE_MEMBERS_MAX people may read the channel: it is not end-to-end encrypted. */
  isEndToEndEncrypted: boolean;
  /** How many people may read the channel now. */
  readers: number;
  /**
   * Devices to add. `readsFromStart`: the channel's newcomers read from its start, as
   * its setting says. Advisory: a member's device shares past history keys by its own
   * rule (e2ee/device-groups.ts `historyShare`), never because the server said so.
   */
  add: { userId: string; deviceIds: string[]; readsFromStart: boolean }[];
  remove: string[];
}

export const claimKeyPackagesSchema = z.strictObject({
  /** Only these devices of the person (default: every device). */
  deviceIds: z.array(z.uuid()).min(1).max(100).optional(),
});

export interface MlsWelcomeView {
  id: number;
  channelId: string;
  /** The epoch the Welcome brings the device into. */
  epoch: number;
  /** The group's generation it belongs to. */
  generation: number;
  welcome: string;
}

/**
 * The clear header of a message envelope (sealed by e2ee/message-crypto.ts):
 * version (1), epoch (8, big-endian), nonce (12), signature (64); then the ciphertext
 * and its 16-byte tag. Defined here so the room can read the epoch without the MLS library.
 */
export const ENVELOPE_VERSION = 1;
export const ENVELOPE_HEADER_BYTES = 1 + 8 + 12 + 64;
const ENVELOPE_MIN_BYTES = ENVELOPE_HEADER_BYTES + 16;

/**
 * The epoch an end-to-end encrypted payload (base64) was sealed in, read from the
 * envelope's clear header without decoding the rest; null for any other payload.
 */
export function envelopeEpochOf(payload: string): number | null {
  if (payload.length < Math.ceil(ENVELOPE_MIN_BYTES / 3) * 4) return null;
  const head = atob(payload.slice(0, 12)); // 9 bytes: the version and the epoch
  if (head.charCodeAt(0) !== ENVELOPE_VERSION) return null;
  let epoch = 0;
  for (let index = 1; index < 9; index++) epoch = epoch * 256 + head.charCodeAt(index);
  return epoch;
}

/**
 * History keys shared with newcomers go out under client ids with this prefix: the
 * server learns nothing it could not tell from the commit just before, and leaves
 * them out of unread counts; clients neither count nor show them.
 */
export const HISTORY_SHARE_CLIENT_ID_PREFIX = "keys-";
