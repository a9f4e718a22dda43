/** Audit log actions as sentences for the security events list. */
import type { AuditEventView } from "../../../protocol/index.ts";

const ACTIONS: Record<string, string> = {
  "user.registered": "Account created",
  "user.signed_in": "Signed in",
  "user.sign_in_failed": "Failed sign-in attempt",
  "user.signed_out": "Signed out",
  "user.locked_out": "Sign-in locked after repeated failures",
  "session.revoked": "Session signed out",
  "session.refresh_token_reused": "Session ended: its sign-in token was used twice, which may mean it was stolen",
  "password.changed": "Password changed",
  "password.recovered": "Password reset with the recovery code",
  "account_key.created": "End-to-end encryption key set up",
  "admin.reauthenticated": "Confirmed your password for an admin action",
  "account_key.replaced": "End-to-end encryption key replaced (people you talk with are warned)",
  "key_backup.created": "Encryption key backup set up",
  "key_backup.replaced": "Encryption key backup given a new recovery key or passphrase",
  "recovery_code.regenerated": "New recovery code created",
  "totp.enabled": "Two-factor authentication turned on",
  "totp.disabled": "Two-factor authentication turned off",
  "totp.backup_codes_regenerated": "New backup codes created",
  "totp.reset_by_admin": "Two-factor authentication reset by an admin",
  "profile.updated": "Profile updated",
  "user.deleted": "Account deleted",
  "user.suspended": "Account suspended by an admin",
  "user.unsuspended": "Suspension lifted by an admin",
  "admin.sessions_revoked": "All sessions signed out by an admin",
  "invite.created": "Invite created",
  "invite.revoked": "Invite revoked",
  "registration_mode.changed": "Registration mode changed",
};

const FAILURE_REASONS: Record<string, string> = {
  invalid_credentials: "wrong password",
  invalid_two_factor_code: "wrong two-factor code",
  invalid_recovery_code: "wrong recovery code",
  wrong_password: "wrong password",
};

export function auditActionInWords(event: AuditEventView): string {
  const words = ACTIONS[event.action] ?? event.action.replace(/[._]/g, " ");
  const reason = (event.details as { reason?: unknown } | null)?.reason;
  if (event.action === "user.sign_in_failed" && typeof reason === "string" && FAILURE_REASONS[reason]) {
    return `${words} (${FAILURE_REASONS[reason]})`;
  }
  return words;
}
