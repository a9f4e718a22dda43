/** Writing security events to the audit log, with the request's address and agent. */
import type { Context } from "hono";
import { query } from "../db/index.ts";
import type { AppEnv } from "./context.ts";

/** The security events Chatalot records. */
export type AuditAction =
  | "user.registered"
  | "user.signed_in"
  | "user.sign_in_failed"
  | "user.signed_out"
  | "user.locked_out"
  | "session.revoked"
  | "session.refresh_token_reused"
  | "password.changed"
  | "password.recovered"
  | "recovery_code.regenerated"
  | "totp.enabled"
  | "totp.disabled"
  | "totp.backup_codes_regenerated"
  | "totp.reset_by_admin"
  | "profile.updated"
  | "user.deleted"
  | "user.suspended"
  | "user.unsuspended"
  | "admin.sessions_revoked"
  | "invite.created"
  | "invite.revoked"
  | "registration_mode.changed"
  | "user.deleted_by_admin"
  | "admin.granted"
  | "admin.revoked"
  | "settings.changed"
  | "announcement.created"
  | "announcement.deleted"
  | "community.transferred_by_admin"
  | "community.deleted_by_admin"
  | "account_key.created"
  | "account_key.replaced"
  | "key_backup.created"
  | "key_backup.replaced"
  | "admin.reauthenticated";

export async function audit(
  c: Context<AppEnv>,
  action: AuditAction,
  event: { actorId?: string | null; targetUserId?: string | null; details?: Record<string, unknown> } = {},
): Promise<void> {
  const client = c.get("client");
  await query(c.env.DATABASE, "recordAudit", {
    actorId: event.actorId === undefined ? (c.get("userId") ?? null) : event.actorId,
    action,
    targetUserId: event.targetUserId === undefined ? (c.get("userId") ?? null) : event.targetUserId,
    ip: client?.ip ?? null,
    userAgent: client?.userAgent ?? null,
    details: event.details,
  });
}
