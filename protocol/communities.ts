/** Community request and response shapes: communities, invites, roles, moderation. */
import { z } from "zod";
import { nameText, lineText, paragraphText } from "./text.ts";
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

export const acceptInviteSchema = z.strictObject({ code: z.string().trim().min(6).max(64) });

/** `GET /api/community-invites/:code`: what a usable invite leads to, shown on its /join page. */
export interface CommunityInvitePreview {
  community: { id: string; name: string; iconUrl: string | null };
  memberCount: number;
}

/** A role's name colour: 0xRRGGBB, or null for none. */
export const roleColorSchema = z
  .number()
  .int("a colour is a whole number, 0xRRGGBB")
  .min(0, "a colour is between 0 and 0xFFFFFF")
  .max(0xffffff, "a colour is between 0 and 0xFFFFFF")
  .nullable();

export const roleSchema = z.strictObject({
  name: nameText(64).min(1),
  /** Permission names, as in protocol/permissions.ts. */
  permissions: z.array(z.string()).max(32),
  /** Left out: the new role goes at the bottom, just above @everyone. */
  position: z.number().int().min(1).max(10_000).optional(),
  color: roleColorSchema.optional(),
  hoist: z.boolean().optional(),
});

export const updateRoleSchema = roleSchema.partial();

/** Most roles a community may reorder at once (and so hold, for reordering to work). */
export const ROLES_ORDER_MAX = 250;

/** `PUT /api/communities/:id/roles/order`: every role but @everyone, the most senior first. */
export const roleOrderSchema = z.strictObject({
  roleIds: z.array(z.uuid()).min(1).max(ROLES_ORDER_MAX),
});

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
  /** Why they are timed out: only for the person themself and those who may time members out, else null. */
  timeoutReason: string | null;
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

/** Most overrides one save of a channel's permissions may change. */
export const OVERRIDES_PER_SAVE_MAX = 100;

/**
 * `PUT /api/channels/:id/overrides`: overrides to set in one all-or-nothing save, each for
 * a role or a member; one that allows and denies nothing is removed.
 */
export const overridesSaveSchema = z.strictObject({
  overrides: z
    .array(
      z
        .strictObject({
          roleId: z.uuid().optional(),
          userId: z.uuid().optional(),
          allow: z.array(z.string()).max(32),
          deny: z.array(z.string()).max(32),
        })
        .refine((value) => (value.roleId === undefined) !== (value.userId === undefined), {
          message: "each override names a role or a member, not both",
        })
        .refine((value) => !value.allow.some((name) => value.deny.includes(name)), {
          message: "a permission cannot be both allowed and denied",
        }),
    )
    .min(1, "name at least one override")
    .max(OVERRIDES_PER_SAVE_MAX, `at most ${OVERRIDES_PER_SAVE_MAX} overrides at once`),
});

/** `GET /api/communities/:id/overrides`: every channel the caller sees, with its overrides (for "view as role"). */
export interface CommunityOverridesView {
  channels: {
    channelId: string;
    overrides: { roleId: string | null; userId: string | null; allow: string[]; deny: string[] }[];
  }[];
}
