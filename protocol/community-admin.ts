/**
 * Running a community from its settings: the invite options Discord's dialog offers,
 * the invites list, and the audit log's pages and filters.
 */
import { z } from "zod";
import type { InviteView } from "./api.ts";
import { lineText } from "./text.ts";

/** How long a new invite works, in minutes; "never" is left out of the request. */
export const INVITE_EXPIRY_MINUTES = [30, 60, 6 * 60, 12 * 60, 24 * 60, 7 * 24 * 60] as const;
/** How many people may join with one invite; "no limit" is left out of the request. */
export const INVITE_MAX_USES = [1, 5, 10, 25, 50, 100] as const;

const YEAR_MINUTES = 365 * 24 * 60;

/**
 * A community invite: expiry in minutes (so "30 minutes" can be asked for) or, as
 * before, in whole hours; never both. No expiry means never; no maximum means no limit.
 */
export const communityInviteSchema = z
  .strictObject({
    expiresInMinutes: z.number().int().min(1).max(YEAR_MINUTES).optional(),
    expiresInHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 365)
      .optional(),
    maxUses: z.number().int().min(1).max(10_000).optional(),
  })
  .refine((input) => input.expiresInMinutes === undefined || input.expiresInHours === undefined, {
    message: "give the expiry in minutes or in hours, not both",
  });

/** An invite as its community's managers see it: who made it, too. */
export interface CommunityInviteView extends InviteView {
  createdBy: string | null;
}

export const communityAuditQuerySchema = z.strictObject({
  /** The id of the oldest entry already shown: the page before it. */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  action: lineText(64).optional(),
  actorId: z.uuid().optional(),
});

/** A person named in the log: their name as it reads now (they may have left the community). */
export interface AuditPersonView {
  userId: string;
  username: string;
  displayName: string | null;
}

export interface CommunityAuditEventView {
  id: number;
  at: string;
  action: string;
  actorId: string | null;
  targetUserId: string | null;
  actor: AuditPersonView | null;
  target: AuditPersonView | null;
  reason: string | null;
  details: Record<string, unknown> | null;
}

export interface CommunityAuditPage {
  events: CommunityAuditEventView[];
  /** True when older entries remain (ask again with `before` the last id). */
  hasMore: boolean;
}

/** `GET /api/communities/:id/audit/filters`: who acted and which actions the log holds. */
export interface CommunityAuditFilters {
  actors: AuditPersonView[];
  actions: string[];
}
