/** The instance audit log's actions and details as an operator reads them. */
import type { AuditEventView } from "../../../../protocol/index.ts";

/** Every action the server records (functions/audit.ts), in the order the filter offers them. */
export const AUDIT_ACTIONS: Record<string, string> = {
  "user.registered": "Account created",
  "user.signed_in": "Signed in",
  "user.sign_in_failed": "Failed sign-in",
  "user.signed_out": "Signed out",
  "user.locked_out": "Sign-in locked after failures",
  "session.revoked": "Session signed out",
  "session.refresh_token_reused": "Session ended: sign-in token used twice",
  "password.changed": "Password changed",
  "password.recovered": "Password reset with the recovery code",
  "account_key.created": "End-to-end encryption key set up",
  "account_key.replaced": "End-to-end encryption key replaced (people you talk with are warned)",
  "recovery_code.regenerated": "New recovery code",
  "totp.enabled": "Two-factor turned on",
  "totp.disabled": "Two-factor turned off",
  "totp.backup_codes_regenerated": "New backup codes",
  "totp.reset_by_admin": "Two-factor reset by an admin",
  "profile.updated": "Profile updated",
  "user.deleted": "Account deleted by its owner",
  "user.deleted_by_admin": "Account deleted by an admin",
  "user.suspended": "Account suspended",
  "user.unsuspended": "Suspension lifted",
  "admin.sessions_revoked": "All sessions signed out by an admin",
  "admin.reauthenticated": "Confirmed their password for an admin action",
  "admin.granted": "Admin rights granted",
  "admin.revoked": "Admin rights revoked",
  "invite.created": "Invite created",
  "invite.revoked": "Invite revoked",
  "registration_mode.changed": "Registration mode changed",
  "settings.changed": "Settings changed",
  "announcement.created": "Announcement posted",
  "announcement.deleted": "Announcement taken down",
  "community.transferred_by_admin": "Community given a new owner by an admin",
  "community.deleted_by_admin": "Community deleted by an admin",
};

export const auditActionInWords = (action: string) => AUDIT_ACTIONS[action] ?? action.replace(/[._]/g, " ");

/** The details an event carries, as "reason: spam, mode: closed"; ids are left to the CSV. */
export function auditDetailsInWords(event: AuditEventView): string {
  if (!event.details || typeof event.details !== "object") return "";
  return Object.entries(event.details as Record<string, unknown>)
    .filter(([key, value]) => value !== null && value !== undefined && !/Id$/.test(key))
    .map(
      ([key, value]) =>
        `${key.replace(/([A-Z])/g, " $1").toLowerCase()}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`,
    )
    .join(", ");
}
