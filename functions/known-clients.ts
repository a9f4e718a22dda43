/**
 * Browsers and addresses an account signed in from before. The lockout's account
 * ceiling (functions/abuse.ts) refuses only strangers: whoever floods an account with
 * wrong passwords from elsewhere cannot keep its owner out of their own browser, which
 * remembers the accounts that signed in on it in an HttpOnly cookie, nor out of the
 * addresses their sessions use.
 */
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { query, type UserRecord } from "../db/index.ts";
import type { AppEnv } from "./context.ts";
import { DEVICE_TOKEN_TTL_SECONDS, deviceTokenUsers, issueDeviceToken } from "./tokens.ts";

const DEVICE_COOKIE = "chatalot_device";
/** Accounts one browser remembers, newest first. */
const ACCOUNTS_PER_DEVICE_MAX = 8;
/** Stands in for an unknown account, so both paths run the same query. */
const NOBODY = "00000000-0000-0000-0000-000000000000";

/** Whether this request comes from a browser or an address `user` signed in from before. */
export async function isKnownClient(c: Context<AppEnv>, user: UserRecord | null): Promise<boolean> {
  const cookie = getCookie(c, DEVICE_COOKIE);
  const remembered = cookie ? await deviceTokenUsers(c.get("config"), cookie) : [];
  const ip = c.get("client").ip;
  const hasSignedInFrom = ip
    ? await query(c.env.DATABASE, "hasSignedInFrom", { userId: user?.id ?? NOBODY, ip })
    : false;
  return user !== null && (remembered.includes(user.id) || hasSignedInFrom);
}

/** After a successful sign-in: this browser remembers the account. */
export async function rememberDevice(c: Context<AppEnv>, userId: string): Promise<void> {
  const cookie = getCookie(c, DEVICE_COOKIE);
  const remembered = cookie ? await deviceTokenUsers(c.get("config"), cookie) : [];
  const users = [userId, ...remembered.filter((id) => id !== userId)].slice(0, ACCOUNTS_PER_DEVICE_MAX);
  setCookie(c, DEVICE_COOKIE, await issueDeviceToken(c.get("config"), users), {
    httpOnly: true,
    secure: c.get("config").PUBLIC_URL.startsWith("https:"),
    sameSite: "Strict",
    path: "/api/auth",
    maxAge: DEVICE_TOKEN_TTL_SECONDS,
  });
}
