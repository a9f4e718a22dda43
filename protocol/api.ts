/** HTTP request and response shapes, validated on the server and typed in the browser. */
import { z } from "zod";
import { nameText, lineText, paragraphText } from "./text.ts";
import type { CustomStatusView } from "./profiles.ts";
import {
  CHANNEL_NAME_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
} from "./limits.ts";

/** Letters, digits, `_`, `.` and `-`; starts with a letter or digit. Compared case-insensitively. */
export const usernameSchema = z
  .string()
  .min(USERNAME_MIN_LENGTH, `a username has at least ${USERNAME_MIN_LENGTH} characters`)
  .max(USERNAME_MAX_LENGTH, `a username has at most ${USERNAME_MAX_LENGTH} characters`)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
    "a username uses letters, digits, '_', '.' and '-', starting with a letter or digit",
  );

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `a password has at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `a password has at most ${PASSWORD_MAX_LENGTH} characters`);

/** A code people type: letters, digits, dashes and spaces, bounded. */
const typedCodeSchema = z
  .string()
  .trim()
  .min(6)
  .max(64)
  .regex(/^[A-Za-z0-9 -]+$/, "a code uses letters, digits and dashes");
const deviceNameSchema = nameText(64).min(1).optional();

export const registerSchema = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
  inviteCode: typedCodeSchema.optional(),
  deviceName: deviceNameSchema,
});

export const loginSchema = z.strictObject({
  // The registration rules, so that no spelling the database folds together (e.g. "alİce")
  // can name an account under a different lockout key.
  username: usernameSchema,
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  /** The 6-digit code from an authenticator app, when two-factor is on. */
  totpCode: z
    .string()
    .regex(/^\d{6}$/, "a two-factor code is 6 digits")
    .optional(),
  /** Or one of the backup codes. */
  backupCode: typedCodeSchema.optional(),
  deviceName: deviceNameSchema,
});

/**
 * An account recovery code in the server's readable form: seven groups of four base32
 * characters (no 0/o, 1/l), 140 bits. A client may choose its own (derived from the
 * recovery key, so the person keeps one secret); case is ignored.
 */
export const accountRecoveryCodeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-km-np-z2-9]{4}(-[a-km-np-z2-9]{4}){6}$/, "a recovery code is seven groups of four letters and digits");

export const recoverSchema = z.strictObject({
  username: usernameSchema,
  recoveryCode: typedCodeSchema,
  newPassword: passwordSchema,
  /** The code that resets the password next time (absent: the server makes a new one). */
  nextRecoveryCode: accountRecoveryCodeSchema.optional(),
});

export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  newPassword: passwordSchema,
});

/** Proof for sensitive changes: the password, plus a current code when two-factor is on. */
export const confirmSchema = z.strictObject({
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  totpCode: z
    .string()
    .regex(/^\d{6}$/, "a two-factor code is 6 digits")
    .optional(),
});

/** A new recovery code: the server's own, or the one the client chose (the password confirms either). */
export const newRecoveryCodeSchema = confirmSchema.extend({ recoveryCode: accountRecoveryCodeSchema.optional() });

/** Turning two-factor on: the first code from the app, and the password, so a stolen session cannot. */
export const enableTotpSchema = z.strictObject({
  totpCode: z.string().regex(/^\d{6}$/, "a two-factor code is 6 digits"),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

export const profileSchema = z.strictObject({
  displayName: nameText(64).nullable().optional(),
  bio: paragraphText(500).nullable().optional(),
  pronouns: nameText(32).nullable().optional(),
});

/** Hours until something expires, up to a year; absent means never. */
export const expiresInHoursSchema = z
  .number()
  .int()
  .min(1)
  .max(24 * 365)
  .optional();

export const createInviteSchema = z.strictObject({
  expiresInHours: expiresInHoursSchema,
  maxUses: z.number().int().min(1).max(10_000).optional(),
});

export const registrationModeSchema = z.strictObject({ mode: z.enum(["open", "invite_only", "closed"]) });

export const suspendSchema = z.strictObject({ reason: lineText(500).min(1) });

/** Lower-case words joined by '-', like `general` or `release-notes`. */
export const channelNameSchema = z
  .string()
  .min(1, "a channel needs a name")
  .max(CHANNEL_NAME_MAX_LENGTH, `a channel name has at most ${CHANNEL_NAME_MAX_LENGTH} characters`)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "a channel name uses lower-case letters and digits, words joined by '-'");

export const uuidSchema = z.uuid();

export interface UserView {
  id: string;
  username: string;
  isAdmin: boolean;
  displayName: string | null;
  bio: string | null;
  pronouns: string | null;
  /** Their custom status while it lasts (protocol/profiles.ts), else null. */
  customStatus: CustomStatusView | null;
  hasTwoFactor: boolean;
  /** Their picture's address (`GET /api/pictures/:id`, no sign-in needed), or null for none. */
  avatarUrl: string | null;
}

export interface SessionView {
  user: UserView;
  accessToken: string;
  expiresAt: string;
  sessionId: string;
}

export interface RegisteredView extends SessionView {
  /** Shown once: resets the password if it is forgotten. */
  recoveryCode: string;
}

export interface DeviceSessionView {
  id: string;
  deviceName: string | null;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  isCurrent: boolean;
}

export interface TotpSetupView {
  secret: string;
  otpauthUri: string;
}

export interface InviteView {
  id: string;
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
  revokedAt: string | null;
  createdAt: string;
}

export interface AuditEventView {
  id: number;
  at: string;
  action: string;
  actorId: string | null;
  targetUserId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: unknown;
}

export interface SocketTicketView {
  ticket: string;
  expiresAt: string;
}

export interface HealthView {
  /** `starting` while migrations are applied, `degraded` while the database is unreachable: both answer 503. */
  status: "ok" | "starting" | "degraded";
  version: string;
  uptime_secs: number;
  db_healthy: boolean;
}

/** Every error response has this shape; `code` is stable, `message` says what to fix. */
export interface ErrorView {
  /** `requestId` names the request in the server's log (also the X-Request-Id header): quote it in a report. */
  error: { code: string; message: string; requestId?: string };
}
