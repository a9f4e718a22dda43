/**
 * Channel shapes: community channels (text and voice) with their categories and
 * permission overrides, and direct conversations (1:1 and group DMs).
 */
import { z } from "zod";
import { nameText, lineText } from "./text.ts";
import { channelNameSchema } from "./api.ts";

export const COMMUNITY_CHANNEL_KINDS = ["text", "voice"] as const;
export const NEWCOMER_HISTORY = ["from_start", "from_join"] as const;
export type NewcomerHistory = (typeof NEWCOMER_HISTORY)[number];
export type ChannelKind = (typeof COMMUNITY_CHANNEL_KINDS)[number] | "dm" | "group_dm";

/** A group DM holds at most this many people, its creator included. */
export const GROUP_DM_MAX_MEMBERS = 10;
/** Slow mode is at most six hours between two messages. */
export const SLOW_MODE_MAX_SECONDS = 6 * 60 * 60;
export const CHANNEL_TOPIC_MAX_LENGTH = 1024;
/** Bounds one community's size of structure: enough for any real community, not for abuse. */
export const CHANNELS_PER_COMMUNITY_MAX = 500;
export const CATEGORIES_PER_COMMUNITY_MAX = 100;
/** Roles a new private channel may let in at creation; more are added as overrides afterwards. */
export const PRIVATE_CHANNEL_ROLES_MAX = 25;

const topicSchema = lineText(CHANNEL_TOPIC_MAX_LENGTH).nullable();
const positionSchema = z.number().int().min(0).max(100_000);

export const createChannelSchema = z
  .strictObject({
    name: channelNameSchema,
    kind: z.enum(COMMUNITY_CHANNEL_KINDS).default("text"),
    categoryId: z.uuid().nullable().optional(),
    topic: topicSchema.optional(),
    position: positionSchema.optional(),
    /** Private: @everyone cannot view it; the creator and those given access can. */
    isPrivate: z.boolean().optional(),
    /** A private channel's readers from the start: roles allowed to view it, in the same request. */
    allowRoleIds: z.array(z.uuid()).max(PRIVATE_CHANNEL_ROLES_MAX).optional(),
  })
  .refine((input) => input.isPrivate || !input.allowRoleIds?.length, {
    message: "roles are allowed into a private channel only: set isPrivate",
    path: ["allowRoleIds"],
  });

export const updateChannelSchema = z.strictObject({
  name: channelNameSchema.optional(),
  topic: topicSchema.optional(),
  position: positionSchema.optional(),
  categoryId: z.uuid().nullable().optional(),
  isArchived: z.boolean().optional(),
  isReadOnly: z.boolean().optional(),
  slowModeSeconds: z.number().int().min(0).max(SLOW_MODE_MAX_SECONDS).optional(),
  /** What newcomers to the encrypted channel may read: everything, or from their join on. */
  newcomerHistory: z.enum(NEWCOMER_HISTORY).optional(),
});

export const categorySchema = z.strictObject({
  name: nameText(64).min(1, "a category needs a name"),
  position: positionSchema.optional(),
});

export const updateCategorySchema = categorySchema.partial();

const distinctIds = (items: { id: string }[]) => new Set(items.map((item) => item.id)).size === items.length;

/**
 * A reorder, in one request: the positions of categories and channels, and each channel's
 * category (a move between categories). What is not named keeps its place.
 */
export const layoutSchema = z.strictObject({
  categories: z
    .array(z.strictObject({ id: z.uuid(), position: positionSchema }))
    .max(CATEGORIES_PER_COMMUNITY_MAX)
    .refine(distinctIds, "a category is named twice")
    .default([]),
  channels: z
    .array(z.strictObject({ id: z.uuid(), categoryId: z.uuid().nullable(), position: positionSchema }))
    .max(CHANNELS_PER_COMMUNITY_MAX)
    .refine(distinctIds, "a channel is named twice")
    .default([]),
});
export type LayoutChange = z.infer<typeof layoutSchema>;

/** An override: permission names to allow and to deny; a name in neither is inherited. */
export const overrideSchema = z
  .strictObject({
    allow: z.array(z.string()).max(32).default([]),
    deny: z.array(z.string()).max(32).default([]),
  })
  .refine((value) => !value.allow.some((name) => value.deny.includes(name)), {
    message: "a permission cannot be both allowed and denied",
  });

/** Opening a DM names the other people: one for a 1:1 DM, two to nine for a group DM. */
export const openDmSchema = z.strictObject({
  userIds: z
    .array(z.uuid())
    .min(1, "name at least one person")
    .max(GROUP_DM_MAX_MEMBERS - 1, `a group DM holds at most ${GROUP_DM_MAX_MEMBERS} people`),
});

export interface ChannelView {
  id: string;
  name: string;
  kind: ChannelKind;
  /** Null for DMs. */
  communityId: string | null;
  categoryId: string | null;
  topic: string | null;
  position: number;
  isArchived: boolean;
  isReadOnly: boolean;
  slowModeSeconds: number;
  /** End-to-end encryption: whether members share past history keys with a newcomer (`from_start`) or not. */
  newcomerHistory: NewcomerHistory;
  /** The highest message sequence number in the channel. */
  lastSeq: number;
  createdAt: string;
  /** What the caller may do here (permission names). */
  myPermissions: string[];
  /** DMs only: everyone in the conversation, the caller included. */
  participants?: { userId: string; username: string; displayName: string | null; avatarUrl: string | null }[];
}

export interface CategoryView {
  id: string;
  name: string;
  position: number;
}

export interface OverrideView {
  roleId: string | null;
  userId: string | null;
  allow: string[];
  deny: string[];
}
