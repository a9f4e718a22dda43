/**
 * The PostgreSQL schema, in Drizzle's TypeScript form. drizzle-kit generates the
 * SQL migrations in `db/migrations/` from this file; never edit those by hand.
 * It is longer than our other files on purpose: every table in one place, in the
 * order migrations created them, is how the data model is read and reviewed.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  index,
  type AnyPgColumn,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/** Opaque bytes: message payloads are end-to-end encrypted, the server never reads them. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  // The driver hands back a Node Buffer (a Uint8Array subclass); copy it into a plain
  // Uint8Array so it crosses Durable Object RPC and structured clone unchanged.
  fromDriver: (value) => new Uint8Array(value),
});

export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    username: text().notNull(),
    passwordHash: text().notNull(),
    isAdmin: boolean().notNull().default(false),
    displayName: text(),
    bio: text(),
    pronouns: text(),
    /** A custom status others see beside the name ("In a meeting"), with an optional emoji. */
    statusText: text(),
    statusEmoji: text(),
    /** When the custom status clears itself; null: it stays until changed. */
    statusExpiresAt: timestamp({ withTimezone: true }),
    /** Hash of the one recovery code, shown once; it resets the password. */
    recoveryCodeHash: text(),
    /** AES-256-GCM ciphertext (iv || ciphertext) of the TOTP secret, under key `totpKeyVersion`. */
    totpSecret: bytea(),
    totpKeyVersion: smallint(),
    totpEnabled: boolean().notNull().default(false),
    /** The last accepted TOTP time step: a code for this step or an earlier one is a replay. */
    totpLastStep: bigint({ mode: "number" }),
    suspendedAt: timestamp({ withTimezone: true }),
    suspensionReason: text(),
    /** Set when the account is deleted; its messages stay, shown as from a deleted user. */
    deletedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Their picture (`pictures`), shown beside their name (docs/files.md). */
    avatarId: uuid(),
    /** Account-wide notification choices (protocol/notifications.ts), synced to every device. */
    notificationPreferences: jsonb(),
  },
  (table) => [uniqueIndex("users_username_lower_unique").on(sql`lower(${table.username})`)],
);

/**
 * A channel: a text or voice channel of a community, or a direct conversation
 * (`dm` between two people, `group_dm` among up to ten) that belongs to no community.
 * Community channels are reached through membership; DMs through `channel_members`.
 */
export const channels = pgTable(
  "channels",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    /** Highest sequence number handed out in this channel; the next message takes lastSeq + 1. */
    lastSeq: bigint({ mode: "number" }).notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The channel's change counter (messages.event): bumped by every new message, edit, deletion, reaction, pin. */
    lastEvent: bigint({ mode: "number" }).notNull().default(0),
    /** Null for direct messages. */
    communityId: uuid().references((): AnyPgColumn => communities.id, { onDelete: "cascade" }),
    categoryId: uuid().references((): AnyPgColumn => categories.id, { onDelete: "set null" }),
    /** text, voice, dm or group_dm (protocol/channels.ts). */
    kind: text().notNull().default("text"),
    topic: text(),
    /** Order within the category (or the uncategorised top), ascending. */
    position: integer().notNull().default(0),
    /** Read-only for everyone, kept for reading. */
    isArchived: boolean().notNull().default(false),
    /** Only those who may manage the channel can post. */
    isReadOnly: boolean().notNull().default(false),
    /** Seconds a member waits between two messages; 0 is off. */
    slowModeSeconds: integer().notNull().default(0),
    /**
     * What a newcomer to the channel's encrypted group may read: `from_start` (members share
     * past history keys with them) or `from_join`. DMs and private channels start from_join.
     */
    newcomerHistory: text().notNull().default("from_start"),
    /** For a 1:1 DM, the two user ids sorted and joined: get-or-create finds it by this. */
    dmKey: text().unique(),
  },
  (table) => [
    uniqueIndex("channels_community_name_unique")
      .on(table.communityId, sql`lower(${table.name})`)
      .where(sql`${table.communityId} is not null`),
    index("channels_community_idx").on(table.communityId),
  ],
);

/**
 * Messages. The payload is opaque (end-to-end encrypted); everything else is the
 * metadata the server needs to order, relay, notify and moderate. `event` is the
 * channel's change counter at this message's latest change (creation, edit,
 * deletion, reaction, pin): a client resumes by asking for every message whose event
 * is above the last one it saw.
 */
export const messages = pgTable(
  "messages",
  {
    id: uuid().primaryKey().defaultRandom(),
    channelId: uuid()
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    seq: bigint({ mode: "number" }).notNull(),
    senderId: uuid()
      .notNull()
      .references(() => users.id),
    /** Chosen by the sending client; a resend with the same id is the same message. */
    clientId: text().notNull(),
    payload: bytea().notNull(),
    payloadBytes: integer().notNull(),
    sentAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The sending device (its session, until devices have their own keys). */
    senderSessionId: uuid(),
    replyToSeq: bigint({ mode: "number" }),
    /** Set on replies inside a thread: the seq of the thread's first message. */
    threadRootSeq: bigint({ mode: "number" }),
    /** Who the sender declares as mentioned, for notifications; the server cannot read the text. */
    mentionedUserIds: uuid()
      .array()
      .notNull()
      .default(sql`'{}'`),
    mentionedRoleIds: uuid()
      .array()
      .notNull()
      .default(sql`'{}'`),
    mentionsEveryone: boolean().notNull().default(false),
    mentionsHere: boolean().notNull().default(false),
    editedAt: timestamp({ withTimezone: true }),
    /** A deleted message stays as a tombstone: its payload and earlier versions are erased. */
    deletedAt: timestamp({ withTimezone: true }),
    deletedBy: uuid(),
    pinnedAt: timestamp({ withTimezone: true }),
    pinnedBy: uuid(),
    event: bigint({ mode: "number" }).notNull().default(0),
  },
  (table) => [
    uniqueIndex("messages_channel_seq_unique").on(table.channelId, table.seq),
    uniqueIndex("messages_channel_client_unique").on(table.channelId, table.senderId, table.clientId),
    index("messages_channel_event_idx").on(table.channelId, table.event),
    index("messages_thread_idx")
      .on(table.channelId, table.threadRootSeq, table.seq)
      .where(sql`${table.threadRootSeq} is not null`),
    index("messages_pinned_idx")
      .on(table.channelId)
      .where(sql`${table.pinnedAt} is not null`),
    // Search's metadata route (db/queries/search.ts) pages newest first (scanning these backward): in a channel, by
    // one sender anywhere, and by a mentioned person (GIN answers `mentioned_user_ids @> {id}`).
    index("messages_channel_sent_idx").on(table.channelId, table.sentAt, table.seq),
    index("messages_sender_sent_idx").on(table.senderId, table.sentAt),
    index("messages_mentioned_users_idx").using("gin", table.mentionedUserIds),
  ],
);

/** Earlier versions of edited messages (opaque payloads), erased when the message is deleted. */
export const messageVersions = pgTable(
  "message_versions",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    messageId: uuid()
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    payload: bytea().notNull(),
    /** When this version was current from. */
    sentAt: timestamp({ withTimezone: true }).notNull(),
    replacedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("message_versions_message_idx").on(table.messageId)],
);

/**
 * Reactions are metadata, not content: the server sees which emoji who put on which
 * message (documented in docs/api.md), as it must to count and show them.
 */
export const messageReactions = pgTable(
  "message_reactions",
  {
    messageId: uuid()
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    emoji: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("message_reactions_unique").on(table.messageId, table.userId, table.emoji)],
);

/** How far each person has read each channel; shared by all their devices. */
export const readPositions = pgTable(
  "read_positions",
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    channelId: uuid()
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    lastReadSeq: bigint({ mode: "number" }).notNull().default(0),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("read_positions_unique").on(table.userId, table.channelId)],
);

/** One signed-in device. Revoking it ends its refresh token and, at once, its access. */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    deviceName: text(),
    userAgent: text(),
    ip: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp({ withTimezone: true }),
    revokedReason: text(),
  },
  (table) => [index("sessions_user_idx").on(table.userId)],
);

/**
 * Every refresh token ever issued, by hash. A token is used once: it is marked rotated
 * and a new one issued. Presenting a rotated token again means it was copied: the
 * whole session is revoked.
 */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    tokenHash: text().primaryKey(),
    sessionId: uuid()
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    rotatedAt: timestamp({ withTimezone: true }),
  },
  (table) => [index("refresh_tokens_session_idx").on(table.sessionId)],
);

/** Single-use two-factor backup codes, stored hashed. */
export const backupCodes = pgTable(
  "backup_codes",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text().notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (table) => [uniqueIndex("backup_codes_user_code_unique").on(table.userId, table.codeHash)],
);

/** Invites to register while REGISTRATION_MODE is invite_only. */
export const registrationInvites = pgTable("registration_invites", {
  id: uuid().primaryKey().defaultRandom(),
  codeHash: text().notNull().unique(),
  createdBy: uuid()
    .notNull()
    .references(() => users.id),
  expiresAt: timestamp({ withTimezone: true }),
  maxUses: integer(),
  uses: integer().notNull().default(0),
  revokedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Instance settings an admin changes at runtime; a missing value falls back to the environment. */
export const instanceSettings = pgTable("instance_settings", {
  key: text().primaryKey(),
  value: jsonb().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * Failed sign-ins per account and per client address, kept in the database so a
 * restart does not reset a lockout.
 */
export const authThrottles = pgTable("auth_throttles", {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  lastFailureAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp({ withTimezone: true }),
});

/** Fixed-window request counters for rate limits, per route and client address. */
export const rateLimits = pgTable("rate_limits", {
  key: text().primaryKey(),
  windowStart: timestamp({ withTimezone: true }).notNull(),
  count: integer().notNull(),
});

/** Security events: who did what to whom, from where. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorId: uuid(),
    action: text().notNull(),
    targetUserId: uuid(),
    ip: text(),
    userAgent: text(),
    details: jsonb(),
  },
  (table) => [
    index("audit_events_target_idx").on(table.targetUserId, table.at),
    index("audit_events_actor_idx").on(table.actorId, table.at),
  ],
);

/** A community: members, roles, categories and channels. */
export const communities = pgTable("communities", {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  description: text(),
  /** A small image as a data: URL (protocol/communities.ts bounds it), shown beside the name. */
  icon: text(),
  /** Pictures (`pictures`) uploaded as files, replacing the data: URL icon (docs/files.md). */
  iconId: uuid(),
  bannerId: uuid(),
  ownerId: uuid()
    .notNull()
    .references(() => users.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Roles per community; the one with `isEveryone` is the base every member holds. */
export const roles = pgTable(
  "roles",
  {
    id: uuid().primaryKey().defaultRandom(),
    communityId: uuid()
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    name: text().notNull(),
    /** Higher is more senior; @everyone is 0. */
    position: integer().notNull(),
    /** Permission flags (protocol/permissions.ts). */
    permissions: integer().notNull(),
    isEveryone: boolean().notNull().default(false),
    /** The colour of its members' names (0xRRGGBB), or null for none. */
    color: integer(),
    /** Whether the member list shows its members in a group of their own. */
    hoist: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("roles_community_idx").on(table.communityId)],
);

export const communityMembers = pgTable(
  "community_members",
  {
    communityId: uuid()
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    joinedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** No sending, reacting or speaking until then. */
    timedOutUntil: timestamp({ withTimezone: true }),
    /** Why, as the moderator wrote it: shown to the person timed out. */
    timeoutReason: text(),
  },
  (table) => [
    uniqueIndex("community_members_unique").on(table.communityId, table.userId),
    index("community_members_user_idx").on(table.userId),
  ],
);

export const memberRoles = pgTable(
  "member_roles",
  {
    communityId: uuid()
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    roleId: uuid()
      .notNull()
      .references(() => roles.id, { onDelete: "cascade" }),
  },
  (table) => [
    uniqueIndex("member_roles_unique").on(table.userId, table.roleId),
    index("member_roles_community_idx").on(table.communityId),
  ],
);

export const communityInvites = pgTable("community_invites", {
  id: uuid().primaryKey().defaultRandom(),
  communityId: uuid()
    .notNull()
    .references(() => communities.id, { onDelete: "cascade" }),
  codeHash: text().notNull().unique(),
  createdBy: uuid()
    .notNull()
    .references(() => users.id),
  expiresAt: timestamp({ withTimezone: true }),
  maxUses: integer(),
  uses: integer().notNull().default(0),
  revokedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const communityBans = pgTable(
  "community_bans",
  {
    communityId: uuid()
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    bannedBy: uuid()
      .notNull()
      .references(() => users.id),
    reason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("community_bans_unique").on(table.communityId, table.userId)],
);

/** Moderation and administration inside one community: who did what to whom, and why. */
export const communityAuditEvents = pgTable(
  "community_audit_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    communityId: uuid()
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorId: uuid(),
    action: text().notNull(),
    targetUserId: uuid(),
    reason: text(),
    details: jsonb(),
  },
  (table) => [index("community_audit_community_idx").on(table.communityId, table.at)],
);

/** Messages from the instance admins to everyone, shown until they expire or are removed. */
export const announcements = pgTable("announcements", {
  id: uuid().primaryKey().defaultRandom(),
  body: text().notNull(),
  createdBy: uuid()
    .notNull()
    .references(() => users.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp({ withTimezone: true }),
});

/** Who blocked whom: a block refuses direct messages either way. */
export const userBlocks = pgTable(
  "user_blocks",
  {
    blockerId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    blockedId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("user_blocks_unique").on(table.blockerId, table.blockedId)],
);

/** Channel groups inside a community, ordered by position. */
export const categories = pgTable(
  "categories",
  {
    id: uuid().primaryKey().defaultRandom(),
    communityId: uuid()
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    name: text().notNull(),
    position: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("categories_community_idx").on(table.communityId)],
);

/**
 * Per-channel permission overrides, for one role or one member (exactly one of the
 * two is set): flags in `allow` are granted, flags in `deny` taken away.
 */
export const channelOverrides = pgTable(
  "channel_overrides",
  {
    id: uuid().primaryKey().defaultRandom(),
    channelId: uuid()
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    roleId: uuid().references(() => roles.id, { onDelete: "cascade" }),
    userId: uuid().references(() => users.id, { onDelete: "cascade" }),
    allow: integer().notNull().default(0),
    deny: integer().notNull().default(0),
  },
  (table) => [
    uniqueIndex("channel_overrides_role_unique").on(table.channelId, table.roleId),
    uniqueIndex("channel_overrides_user_unique").on(table.channelId, table.userId),
    check("channel_overrides_one_target", sql`(${table.roleId} is null) <> (${table.userId} is null)`),
  ],
);

/** The participants of direct conversations (DMs and group DMs). */
export const channelMembers = pgTable(
  "channel_members",
  {
    channelId: uuid()
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    joinedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("channel_members_unique").on(table.channelId, table.userId),
    index("channel_members_user_idx").on(table.userId),
  ],
);

/**
 * Changes to who may read what, in order: a member joined, left, was kicked, banned
 * or timed out, roles or overrides changed, a device was added. End-to-end encryption
 * reads this log to add and remove members of each channel's key group.
 */
export const membershipEvents = pgTable(
  "membership_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    communityId: uuid(),
    channelId: uuid(),
    /** The person whose access changed; null when a change touches everyone (a role edit). */
    userId: uuid(),
    kind: text().notNull(),
    details: jsonb(),
  },
  (table) => [
    index("membership_events_community_idx").on(table.communityId, table.id),
    index("membership_events_user_idx").on(table.userId, table.id),
  ],
);

/**
 * End-to-end encryption's key directory. Each account has one current signing key
 * (Ed25519); a replaced key is kept, so clients can tell that it changed.
 */
export const accountKeys = pgTable(
  "account_keys",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    publicKey: bytea().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    replacedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    uniqueIndex("account_keys_current_unique")
      .on(table.userId)
      .where(sql`${table.replacedAt} is null`),
  ],
);

/**
 * A device's MLS signature key, vouched for by the account key (the cross-signature).
 * A device is a session: signing out or revoking the session retires the device.
 */
export const deviceKeys = pgTable(
  "device_keys",
  {
    sessionId: uuid()
      .primaryKey()
      .references(() => sessions.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    signaturePublicKey: bytea().notNull(),
    /** The account key's Ed25519 signature over e2ee/'s deviceCertificateMessage. */
    crossSignature: bytea().notNull(),
    /** The account key that signed it. */
    accountKeyId: uuid()
      .notNull()
      .references(() => accountKeys.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("device_keys_user_idx").on(table.userId)],
);

/** MLS KeyPackages of a device, opaque: one-time ones are handed out once; the last-resort one stays. */
export const keyPackages = pgTable(
  "key_packages",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    sessionId: uuid()
      .notNull()
      .references(() => deviceKeys.sessionId, { onDelete: "cascade" }),
    keyPackage: bytea().notNull(),
    isLastResort: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("key_packages_session_idx").on(table.sessionId, table.id),
    uniqueIndex("key_packages_last_resort_unique")
      .on(table.sessionId)
      .where(sql`${table.isLastResort}`),
  ],
);

/**
 * The MLS group of a channel, as its delivery service sees it: the current epoch,
 * the latest GroupInfo (for devices joining by external commit) and the devices the
 * last commit said are members. The group's secrets never reach the server.
 */
export const mlsGroups = pgTable("mls_groups", {
  channelId: uuid()
    .primaryKey()
    .references(() => channels.id, { onDelete: "cascade" }),
  epoch: bigint({ mode: "number" }).notNull().default(0),
  groupInfo: bytea().notNull(),
  /** Device ids (session ids) in the group after the last commit. */
  memberDeviceIds: uuid().array().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  /**
   * How many times the group was founded again (a member's device that could not process a
   * commit started a new group with the same id; epochs restart at 0, the log is emptied).
   */
  generation: integer().notNull().default(0),
  /** When it was last founded again: one re-founding per channel per window. */
  refoundedAt: timestamp({ withTimezone: true }),
});

/** The ordered handshake log: the one commit accepted in each epoch (it moved the group from `epoch` to `epoch + 1`). */
export const mlsCommits = pgTable(
  "mls_commits",
  {
    channelId: uuid()
      .notNull()
      .references(() => mlsGroups.channelId, { onDelete: "cascade" }),
    epoch: bigint({ mode: "number" }).notNull(),
    commit: bytea().notNull(),
    committerDeviceId: uuid().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("mls_commits_epoch_unique").on(table.channelId, table.epoch)],
);

/** Welcome messages, one per commit that added devices (MLS sends one Welcome to all of them). */
export const mlsWelcomes = pgTable(
  "mls_welcomes",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    channelId: uuid()
      .notNull()
      .references(() => mlsGroups.channelId, { onDelete: "cascade" }),
    /** The epoch the Welcome brings the device into. */
    epoch: bigint({ mode: "number" }).notNull(),
    welcome: bytea().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("mls_welcomes_channel_idx").on(table.channelId, table.epoch)],
);

/** Which devices still have to fetch a Welcome; the Welcome goes once its last device took it. */
export const mlsWelcomeRecipients = pgTable(
  "mls_welcome_recipients",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    deviceId: uuid()
      .notNull()
      .references(() => deviceKeys.sessionId, { onDelete: "cascade" }),
    welcomeId: bigint({ mode: "number" })
      .notNull()
      .references(() => mlsWelcomes.id, { onDelete: "cascade" }),
  },
  (table) => [index("mls_welcome_recipients_device_idx").on(table.deviceId, table.id)],
);

/**
 * Each account's encrypted key backup (account key, trust, history keys), sealed by the
 * client under a recovery key the server never sees; `passphraseWrap` is that recovery
 * key sealed under a passphrase (Argon2id), when the person chose one. Opaque here.
 */
export const keyBackups = pgTable("key_backups", {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** Bumped by every write: a device writes on top of the version it read, or is told to merge. */
  version: integer().notNull(),
  backup: bytea().notNull(),
  passphraseWrap: bytea(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  /**
   * The client's commitment to the recovery key (a hash of it): a rewrite under the same
   * key id and passphrase wrap needs only the session; another needs the password.
   * Null for backups written before key ids.
   */
  keyId: text(),
  /** The session that wrote this version (not a foreign key: kept after the session goes). */
  writtenBy: uuid(),
});

/**
 * Earlier versions of each account's key backup, kept a while (functions/routes/keys.ts
 * says how long) so that a version a stolen session wrote over cannot take the only
 * good one with it: a device that cannot open the latest tries these.
 */
export const keyBackupVersions = pgTable(
  "key_backup_versions",
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    backup: bytea().notNull(),
    passphraseWrap: bytea(),
    keyId: text(),
    writtenBy: uuid(),
    /** When this version was written. */
    updatedAt: timestamp({ withTimezone: true }).notNull(),
    /** When a newer version (or a new account key) took its place. */
    supersededAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.version] })],
);

/**
 * Calls in progress, one row per channel, written by the channel's room on each change
 * (rooms/calls/) and deleted when the call ends, so a page loading reads them in one
 * query (`GET /api/calls`). The room's own storage is the truth; this is its shadow.
 */
export const activeCalls = pgTable(
  "active_calls",
  {
    channelId: uuid()
      .primaryKey()
      .references(() => channels.id, { onDelete: "cascade" }),
    communityId: uuid().references((): AnyPgColumn => communities.id, { onDelete: "cascade" }),
    callId: text().notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    startedBy: uuid().notNull(),
    /** Who is being rung (DMs), user ids. */
    ringing: jsonb().$type<string[]>().notNull(),
    /** Who is in it and what they show: `{userId, muted, camera, screen}[]`. */
    participants: jsonb().$type<{ userId: string; muted: boolean; camera: boolean; screen: boolean }[]>().notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("active_calls_community_idx").on(table.communityId)],
);

/**
 * An uploaded file's encrypted bytes (docs/files.md): who owns it (the quota counts it),
 * the channel it was uploaded to, how much has arrived, and the message that carries it.
 * Parts live in the file store under `files/<id>/<part>`. No foreign key to channels: a
 * deleted channel's uploads are marked `deleting` in the same transaction, and a row goes
 * only once its parts are gone (housekeeping finishes what a failed removal left).
 */
export const uploads = pgTable(
  "uploads",
  {
    id: uuid().primaryKey().defaultRandom(),
    ownerId: uuid()
      .notNull()
      .references(() => users.id),
    channelId: uuid().notNull(),
    /** Sealed bytes declared at creation: what the quota counts. */
    size: bigint({ mode: "number" }).notNull(),
    /** Bytes stored so far (whole parts, then the rest). */
    received: bigint({ mode: "number" }).notNull().default(0),
    state: text({ enum: ["uploading", "complete", "deleting"] })
      .notNull()
      .default("uploading"),
    /** The message that carries it; null while unsent. */
    messageId: uuid().references((): AnyPgColumn => messages.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index("uploads_owner_idx").on(table.ownerId),
    index("uploads_message_idx").on(table.messageId),
    index("uploads_channel_idx").on(table.channelId),
    index("uploads_state_created_idx").on(table.state, table.createdAt),
    check("uploads_received_within_size", sql`${table.received} >= 0 and ${table.received} <= ${table.size}`),
  ],
);

/**
 * A public picture (docs/files.md): an avatar, a community icon or banner, stored under
 * `pictures/<id>` and served at an unguessable address. Not end-to-end encrypted.
 */
export const pictures = pgTable("pictures", {
  /** Random: the address is the capability. */
  id: uuid().primaryKey().defaultRandom(),
  kind: text({ enum: ["avatar", "icon", "banner"] }).notNull(),
  /** The person who uploaded it. */
  uploaderId: uuid()
    .notNull()
    .references(() => users.id),
  /** One of PICTURE_TYPES, told by its first bytes. */
  type: text().notNull(),
  bytes: integer().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * A person's notification level or mute for one community or channel (a DM is a
 * channel). A missing row inherits: a channel from its community, a community from
 * the defaults (protocol/notifications.ts).
 */
export const notificationSettings = pgTable(
  "notification_settings",
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    targetKind: text({ enum: ["community", "channel"] }).notNull(),
    /** The community's or channel's id (no foreign key: one column names either). */
    targetId: uuid().notNull(),
    /** `all`, `mentions` or `nothing`; null inherits. */
    level: text({ enum: ["all", "mentions", "nothing"] }),
    /** Silent until then; 'infinity' until turned back on; null not muted. */
    mutedUntil: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.targetKind, table.targetId] }),
    index("notification_settings_target_idx").on(table.targetKind, table.targetId),
  ],
);

/**
 * A device's Web Push subscription (RFC 8030/8291): where its browser's push service
 * takes messages for it. It belongs to the sign-in session: signing out removes it.
 */
export const pushSubscriptions = pgTable(
  "push_subscriptions",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    sessionId: uuid()
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    /** The push service's https address for this subscription. */
    endpoint: text().notNull(),
    /** The browser's P-256 public key and auth secret, base64url, as PushSubscription.toJSON gives them. */
    p256dh: text().notNull(),
    auth: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSuccessAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    uniqueIndex("push_subscriptions_endpoint_unique").on(table.endpoint),
    index("push_subscriptions_user_idx").on(table.userId),
    index("push_subscriptions_session_idx").on(table.sessionId),
  ],
);
