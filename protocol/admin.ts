/** Instance administration request shapes: settings, admin rights, announcements, search, audit filters. */
import { z } from "zod";
import { nameText, lineText, paragraphText } from "./text.ts";
import { expiresInHoursSchema } from "./api.ts";

export const instanceSettingsSchema = z.strictObject({
  instanceName: nameText(64).min(1).optional(),
  communityCreationMode: z.enum(["admin_only", "open"]).optional(),
  uploadMaxBytes: z
    .number()
    .int()
    .min(1024)
    .max(10 * 1024 ** 3)
    .optional(),
});

export const setAdminSchema = z.strictObject({ isAdmin: z.boolean() });

export const announcementSchema = z.strictObject({
  body: paragraphText(2000).min(1),
  expiresInHours: expiresInHoursSchema,
});

export const userSearchSchema = z.object({
  search: lineText(32).optional(),
  after: z.string().max(32).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const adminAuditQuerySchema = z.object({
  actor: z.uuid().optional(),
  action: lineText(64).optional(),
  target: z.uuid().optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const communitySearchSchema = z.object({
  search: lineText(100).optional(),
  after: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** An audit export: the filters of the audit log, up to this many rows per file. */
export const AUDIT_EXPORT_MAX_ROWS = 50_000;

export interface AdminWarningView {
  code: "no_admin_with_two_factor" | "database_degraded" | "database_large" | "update_available";
  message: string;
}
