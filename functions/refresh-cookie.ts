/**
 * The refresh token's cookie: HttpOnly (no script reads it), SameSite=Strict,
 * Secure when PUBLIC_URL is https, and sent only to /api/auth.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "./context.ts";

export const REFRESH_COOKIE = "chatalot_refresh";
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
const PATH = "/api/auth";

const isSecure = (c: Context<AppEnv>) => c.get("config").PUBLIC_URL.startsWith("https:");

/** `maxAgeSeconds`: at most the token's lifetime; less when the session itself ends sooner. */
export function setRefreshCookie(c: Context<AppEnv>, token: string, maxAgeSeconds = REFRESH_TOKEN_TTL_SECONDS): void {
  setCookie(c, REFRESH_COOKIE, token, {
    httpOnly: true,
    secure: isSecure(c),
    sameSite: "Strict",
    path: PATH,
    maxAge: Math.max(1, Math.min(REFRESH_TOKEN_TTL_SECONDS, maxAgeSeconds)),
  });
}

export function readRefreshCookie(c: Context<AppEnv>): string | undefined {
  return getCookie(c, REFRESH_COOKIE);
}

export function clearRefreshCookie(c: Context<AppEnv>): void {
  deleteCookie(c, REFRESH_COOKIE, { path: PATH, secure: isSecure(c), httpOnly: true, sameSite: "Strict" });
}
