/** Community request and response shapes: communities, invites, roles, moderation. */
import { z } from "zod";
import { nameText, lineText, paragraphText } from "./text.ts";
import { createInviteSchema } from "./api.ts";
import type { CustomStatusView } from "./profiles.ts";

/** Community names: any text people can read, trimmed, 1 to 100 characters. */
export const createCommunitySchema = z.strictObject({
  name: nameText(100).min(1, "a community needs a name"),
  description: paragraphText(1000).optional(),
});

/** Largest community icon, as a data: URL (a 128x128 WebP or PNG fits comfortably). */
export const COMMUNITY_ICON_MAX_LENGTH = 12 * 1024;

/** A community icon: a PNG, JPEG, WebP or GIF image inline as base64, nothing else (no SVG: it can carry script). */
export const communityIconSchema = z
  .string()
  .max(COMMUNITY_ICON_MAX_LENGTH, `an icon is at most ${COMMUNITY_ICON_MAX_LENGTH} characters as a data: URL`)
  .regex(
    /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/]+={0,2}$/,
    "an icon is a data:image/png, jpeg, webp or gif URL in base64",
  );

export const updateCommunitySchema = z.strictObject({
  name: nameText(100).min(1).optional(),
  description: paragraphText(1000).nullable().optional(),
  icon: communityIconSchema.nullable().optional(),
});

export const transferSchema = z.strictObject({ userId: z.uuid() });

/** A community invite takes the same options as a registration invite. */
export const communityInviteSchema = createInviteSchema;

export const acceptInviteSchema = z.strictObject({ code: z.string().trim().min(6).max(64) });

/** `GET /api/community-invites/:code`: what a usable invite leads to, shown on its /join page. */
export interface CommunityInvitePreview {
  community: { id: string; name: string; iconUrl: string | null };
  memberCount: number;
}

export const roleSchema = z.strictObject({
  name: nameText(64).min(1),
  /** Permission names, as in protocol/permissions.ts. */
  permissions: z.array(z.string()).max(32),
  position: z.number().int().min(1).max(10_000),
});

export const updateRoleSchema = roleSchema.partial();

export const moderationReasonSchema = z.strictObject({ reason: lineText(500).optional() });

export const banSchema = z.strictObject({ userId: z.uuid(), reason: lineText(500).optional() });

export const timeoutSchema = z.strictObject({
  /** Up to 28 days. */
  minutes: z
    .number()
    .int()
    .min(1)
    .max(28 * 24 * 60),
  reason: lineText(500).optional(),
});

export interface CommunityView {
  id: string;
  name: string;
  description: string | null;
  /** The old inline icon (a data: URL), kept readable; `iconUrl` is what to show. */
  icon: string | null;
  /** What to show as the icon: the uploaded picture's address, else the old data: URL, else null. */
  iconUrl: string | null;
  /** The uploaded banner's address (`GET /api/pictures/:id`), or null. */
  bannerUrl: string | null;
  ownerId: string;
  createdAt: string;
}

export interface RoleView {
  id: string;
  name: string;
  position: number;
  permissions: string[];
  isEveryone: boolean;
  /** Its members' name colour (0xRRGGBB), or null for none. */
  color: number | null;
  /** Whether the member list groups its members apart. */
  hoist: boolean;
}

export interface MemberView {
  userId: string;
  username: string;
  /** Shown instead of the username where set. */
  displayName: string | null;
  pronouns: string | null;
  /** Their custom status while it lasts, else null. */
  customStatus: CustomStatusView | null;
  /** Their picture's address (`GET /api/pictures/:id`), or null for none. */
  avatarUrl: string | null;
  joinedAt: string;
  timedOutUntil: string | null;
  roleIds: string[];
}

export const membershipEventsQuerySchema = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** One change of who may read what in a community, in log order. */
export interface MembershipEventView {
  id: number;
  at: string;
  kind: string;
  channelId: string | null;
  userId: string | null;
  details: unknown;
}
