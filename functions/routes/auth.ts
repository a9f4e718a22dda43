/**
 * /api/auth: registration, sign-in, refresh, sign-out and account recovery.
 * Every route is rate limited per client address; sign-in failures lock out per
 * account name and per address, persisted so a restart does not reset them.
 */
import { Hono } from "hono";
import { timingSafeEqual } from "node:crypto";
import { query, type UserRecord } from "../../db/index.ts";
import { loginSchema, recoverSchema, registerSchema, type RegisteredView } from "../../protocol/index.ts";
import { addressKeys, lockedOut, rateLimit, withPasswordCheck } from "../abuse.ts";
import { audit } from "../audit.ts";
import type { AppEnv } from "../context.ts";
import { AppError, unauthorized } from "../errors.ts";
import { limitBody, requireCsrfHeader, requireOwnOrigin, requireUser } from "../middleware.ts";
import { isReservedUsername, refuseCommonPassword } from "../password-policy.ts";
import { hashPassword, verifyNothing, verifyPassword } from "../passwords.ts";
import {
  clearRefreshCookie,
  readRefreshCookie,
  REFRESH_TOKEN_TTL_SECONDS,
  setRefreshCookie,
} from "../refresh-cookie.ts";
import { registrationMode } from "../registration-mode.ts";
import { hashCode, hashToken, opaqueToken, readableCode, RECOVERY_CODE_GROUPS } from "../secrets.ts";
import { beginRecovery, beginSignIn, failSignIn, secondFactorError } from "../sign-in-checks.ts";
import { isKnownClient } from "../known-clients.ts";
import { accessFor, startSession } from "../start-session.ts";
import { disconnectSockets } from "../../rooms/index.ts";
import { parseJson } from "../validation.ts";

const REGISTER_LIMIT = rateLimit("register", 10, 60 * 60, { perPrefix: true });
const SIGN_IN_LIMIT = rateLimit("sign-in", 30, 5 * 60, { perPrefix: true });
/**
 * A recovery attempt takes at least this long, whether the account exists or not: an
 * unknown name costs the server one lookup (no count, no audit row, no hash), and the
 * wait, which costs it nothing, keeps the two answers alike in time.
 */
const RECOVERY_MIN_MS = 100;
const REFRESH_LIMIT = rateLimit("refresh", 120, 5 * 60);
/** How long after a rotation a second use of the old token is a race, not a theft. */
const REFRESH_CONFLICT_GRACE_SECONDS = 10;
const DAY_SECONDS = 24 * 60 * 60;

export const auth = new Hono<AppEnv>()
  .post("/register", requireOwnOrigin, REGISTER_LIMIT, limitBody, async (c) => {
    const config = c.get("config");
    const input = await parseJson(c, registerSchema);
    if (isReservedUsername(input.username, config.ADMIN_USERNAME)) {
      throw new AppError(400, "username_reserved", "that username is reserved: choose another");
    }
    refuseCommonPassword(input.password, input.username);
    const mode = await registrationMode(c);
    const isAdminName = input.username.toLowerCase() === config.ADMIN_USERNAME.toLowerCase();
    if (mode === "invite_only" && !input.inviteCode && !isAdminName) {
      throw new AppError(403, "invite_required", "registration on this server needs an invite from an admin");
    }
    if (mode === "closed" && !isAdminName)
      throw new AppError(403, "registration_closed", "registration is closed on this server");
    const recoveryCode = readableCode(RECOVERY_CODE_GROUPS);
    const result = await query(c.env.DATABASE, "createUser", {
      username: input.username,
      passwordHash: await withPasswordCheck(c, false, () => hashPassword(c.env, input.password)),
      recoveryCodeHash: await hashCode(recoveryCode),
      wantsAdmin: isAdminName,
      onlyAsAdmin: mode === "closed" || (mode === "invite_only" && !input.inviteCode),
      inviteCodeHash: mode === "invite_only" && input.inviteCode ? await hashCode(input.inviteCode) : null,
    });
    if (!result.ok) throw registrationRefused(result.reason);
    await audit(c, "user.registered", {
      actorId: result.user.id,
      targetUserId: result.user.id,
      details: { isAdmin: result.user.isAdmin, inviteId: result.usedInviteId },
    });
    const session = await startSession(c, result.user, input.deviceName);
    return c.json({ ...session, recoveryCode } satisfies RegisteredView, 201);
  })
  .post("/login", requireOwnOrigin, SIGN_IN_LIMIT, limitBody, async (c) => {
    const input = await parseJson(c, loginSchema);
    const user = await query(c.env.DATABASE, "userByUsername", { username: input.username });
    const isKnown = await isKnownClient(c, user);
    // The gate first: a stranger turned away by it costs no lockout bookkeeping and no hash.
    const { attempt, isValid } = await withPasswordCheck(c, isKnown, async () => {
      const attempt = await beginSignIn(c, input.username, isKnown);
      // Unknown user and wrong password answer alike, after the same hashing work.
      const isValid = user
        ? await verifyPassword(c.env, input.password, user.passwordHash)
        : await verifyNothing(c.env, input.password);
      return { attempt, isValid };
    });
    const wrong = new AppError(401, "invalid_credentials", "wrong username or password");
    if (!user || !isValid) return failSignIn(c, attempt, wrong, user);
    const factorError = await secondFactorError(c, user, input);
    if (factorError?.code === "two_factor_required") {
      await attempt.cancelled(); // not a failure: the client now asks for the code
      throw factorError;
    }
    if (factorError) return failSignIn(c, attempt, factorError, user);
    await attempt.succeeded();
    if (user.suspendedAt)
      throw new AppError(
        403,
        "account_suspended",
        `this account is suspended: ${user.suspensionReason ?? "ask an admin"}`,
      );
    const session = await startSession(c, user, input.deviceName);
    await audit(c, "user.signed_in", {
      actorId: user.id,
      targetUserId: user.id,
      details: { sessionId: session.sessionId },
    });
    return c.json(session);
  })
  .post("/refresh", REFRESH_LIMIT, requireCsrfHeader, async (c) => {
    const token = readRefreshCookie(c);
    if (!token) throw unauthorized("no refresh token: sign in");
    const next = opaqueToken();
    const result = await query(c.env.DATABASE, "rotateRefreshToken", {
      tokenHash: await hashToken(token),
      newTokenHash: await hashToken(next),
      ip: c.get("client").ip,
      maxAgeSeconds: REFRESH_TOKEN_TTL_SECONDS,
      graceSeconds: REFRESH_CONFLICT_GRACE_SECONDS,
      sessionMaxAgeSeconds: c.get("config").SESSION_MAX_AGE_DAYS * DAY_SECONDS,
    });
    if (result.status === "conflict") {
      throw new AppError(409, "refresh_conflict", "another refresh of this session just happened: retry", {
        "Retry-After": "1",
      });
    }
    if (result.status === "reused") {
      // A copy of a spent token came back: someone else holds this session. End it everywhere.
      await disconnectSockets(c.env, {
        userId: result.userId,
        sessionIds: [result.sessionId],
        reason: "session revoked",
      });
      await audit(c, "session.refresh_token_reused", {
        actorId: null,
        targetUserId: result.userId,
        details: { sessionId: result.sessionId },
      });
    }
    if (result.status === "expired") {
      await disconnectSockets(c.env, {
        userId: result.userId,
        sessionIds: [result.sessionId],
        reason: "session expired",
      });
      clearRefreshCookie(c);
      const days = c.get("config").SESSION_MAX_AGE_DAYS;
      throw new AppError(401, "session_expired", `sessions last ${days} days from sign-in: sign in again`);
    }
    if (result.status !== "ok") {
      clearRefreshCookie(c);
      throw new AppError(401, "session_ended", "this session has ended: sign in again");
    }
    // The cookie lives no longer than the session may.
    const sessionEndsAtMs =
      new Date(result.session.createdAt).getTime() + c.get("config").SESSION_MAX_AGE_DAYS * DAY_SECONDS * 1000;
    setRefreshCookie(c, next, Math.floor((sessionEndsAtMs - Date.now()) / 1000));
    return c.json(await accessFor(c, result.user, result.session.id));
  })
  .post("/logout", requireUser, async (c) => {
    const { userId, sessionId } = { userId: c.get("userId"), sessionId: c.get("sessionId") };
    await query(c.env.DATABASE, "revokeSession", { userId, sessionId, reason: "signed_out" });
    await disconnectSockets(c.env, { userId, sessionIds: [sessionId], reason: "signed out" });
    await audit(c, "user.signed_out", { details: { sessionId } });
    clearRefreshCookie(c);
    return c.body(null, 204);
  })
  .post("/recover", requireOwnOrigin, SIGN_IN_LIMIT, limitBody, async (c) => {
    const started = Date.now();
    const input = await parseJson(c, recoverSchema);
    const user = await query(c.env.DATABASE, "userByUsername", { username: input.username });
    const wrong = new AppError(401, "invalid_recovery_code", "wrong username or recovery code");
    const answerAfter = async (error: unknown) => {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + RECOVERY_MIN_MS - Date.now())));
      throw error;
    };
    // Nobody to protect and nothing to audit: an unknown name costs a read of the address's
    // locks (so a locked address answers 429 for any name, real or not), and nothing more.
    if (!user) {
      const locked = await query(c.env.DATABASE, "lockedUntil", { keys: addressKeys(c) });
      return answerAfter(locked ? lockedOut(locked) : wrong);
    }
    const attempt = await beginRecovery(c, input.username).catch(answerAfter);
    if (!(await matchesRecoveryCode(user, input.recoveryCode)))
      return failSignIn(c, attempt, wrong, user).catch(answerAfter);
    await attempt.succeeded();
    // Recovery must not become a way around a suspension: refuse before anything changes.
    if (user.suspendedAt)
      throw new AppError(
        403,
        "account_suspended",
        `this account is suspended: ${user.suspensionReason ?? "ask an admin"}`,
      );
    refuseCommonPassword(input.newPassword, user.username);
    // A code derived from the person's recovery key stays theirs: the key keeps resetting the password.
    const recoveryCode = input.nextRecoveryCode ?? readableCode(RECOVERY_CODE_GROUPS);
    await query(c.env.DATABASE, "setPasswordHash", {
      userId: user.id,
      passwordHash: await withPasswordCheck(c, true, () => hashPassword(c.env, input.newPassword)),
    });
    await query(c.env.DATABASE, "setRecoveryCodeHash", {
      userId: user.id,
      recoveryCodeHash: await hashCode(recoveryCode),
    });
    await query(c.env.DATABASE, "revokeSessions", {
      userId: user.id,
      keepSessionId: null,
      reason: "password_recovered",
    });
    await disconnectSockets(c.env, { userId: user.id, sessionIds: "all", reason: "password reset" });
    await audit(c, "password.recovered", { actorId: user.id, targetUserId: user.id });
    const session = await startSession(c, user, undefined);
    return c.json({ ...session, recoveryCode } satisfies RegisteredView);
  });

function registrationRefused(reason: "username_taken" | "admin_exists" | "invalid_invite"): AppError {
  switch (reason) {
    case "username_taken":
      return new AppError(409, "username_taken", "that username is taken: choose another");
    case "invalid_invite":
      return new AppError(403, "invalid_invite", "that invite is unknown, expired, revoked or used up");
    case "admin_exists":
      return new AppError(403, "registration_closed", "registration on this server needs an invite from an admin");
  }
}

async function matchesRecoveryCode(user: UserRecord, code: string): Promise<boolean> {
  if (!user.recoveryCodeHash) return false;
  const given = new TextEncoder().encode(await hashCode(code));
  const stored = new TextEncoder().encode(user.recoveryCodeHash);
  return given.length === stored.length && timingSafeEqual(given, stored);
}
