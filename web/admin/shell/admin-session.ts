/**
 * The admin page's session, kept by the shell and lent to the admin code as an
 * authorised fetch (the admin code never holds a token). As in the chat app
 * (web/src/models/session.ts), the access token lives only in memory, is renewed
 * from the HttpOnly refresh cookie a minute before it expires, and every refresh
 * takes the browser-wide lock: a chat tab and this page never spend one refresh token twice.
 */
import { createModel, signal } from "@preact/signals";
import type { SessionView, UserView } from "../../../protocol/index.ts";
import { ApiError, describeError, requestJson } from "../../src/models/api-client.ts";
import { apiErrorFrom } from "../api-error-from.ts";

const REFRESH_MARGIN_MS = 60_000;
const REFRESH_RETRY_MS = 30_000;
const REFRESH_MIN_DELAY_MS = 5_000;
/** Refresh and logout check this header: a cross-site form cannot send it. */
const CSRF_HEADERS = { "X-Chatalot-CSRF": "1" };
/** The chat app's lock name: both pages take turns with the one refresh cookie. */
const REFRESH_LOCK = "chatalot-refresh";

export type RefreshOutcome = { isOk: true } | { isOk: false; isSignedOut: boolean; reason: string };

export const AdminSessionModel = createModel(() => {
  const user = signal<UserView | null>(null);
  /** Why the session ended while the page was open, in the server's words. */
  const endedReason = signal<string | null>(null);
  let accessToken: string | null = null;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let refreshing: Promise<RefreshOutcome> | null = null;

  function adopt(view: SessionView): void {
    accessToken = view.accessToken;
    user.value = view.user;
    scheduleRefresh(Date.parse(view.expiresAt) - Date.now() - REFRESH_MARGIN_MS);
  }

  function end(reason: string): void {
    clearTimeout(refreshTimer);
    accessToken = null;
    if (user.peek() && !endedReason.peek()) endedReason.value = reason;
  }

  function scheduleRefresh(delayMs: number): void {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refresh(), Math.max(REFRESH_MIN_DELAY_MS, delayMs));
  }

  function refresh(): Promise<RefreshOutcome> {
    refreshing ??= withRefreshLock(async (): Promise<RefreshOutcome> => {
      try {
        adopt(await requestJson<SessionView>("/api/auth/refresh", { method: "POST", headers: CSRF_HEADERS }));
        return { isOk: true };
      } catch (caught) {
        const isSignedOut = caught instanceof ApiError && (caught.status === 401 || caught.status === 403);
        if (isSignedOut) end(caught.message);
        else if (user.peek()) scheduleRefresh(REFRESH_RETRY_MS);
        return { isOk: false, isSignedOut, reason: describeError(caught) };
      }
    }).finally(() => (refreshing = null));
    return refreshing;
  }

  async function send(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("Authorization", `Bearer ${accessToken}`);
    try {
      return await fetch(path, { ...init, headers, credentials: "same-origin" });
    } catch {
      throw new ApiError(0, "network", "the server could not be reached: check your connection and try again");
    }
  }

  /** fetch() as the signed-in admin; an expired token is renewed once, an ended session ends the page's. */
  async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
    if (!accessToken) throw new ApiError(401, "session_ended", endedReason.peek() ?? "sign in first");
    let response = await send(path, init);
    if (response.status !== 401) return response;
    const error = await apiErrorFrom(response);
    if (error.code === "unauthorized" && (await refresh()).isOk) {
      response = await send(path, init);
      if (response.status !== 401) return response;
      end((await apiErrorFrom(response)).message);
    } else if (error.code !== "unauthorized") {
      end(error.message); // session_ended: revoked, suspended, or signed out elsewhere
    }
    return response;
  }

  return {
    user,
    endedReason,
    /** Restores the session from the refresh cookie, as on every page load. */
    restore: refresh,
    fetch: authorizedFetch,
    async signOut(): Promise<void> {
      await authorizedFetch("/api/auth/logout", { method: "POST", headers: CSRF_HEADERS }).catch(() => null);
      clearTimeout(refreshTimer);
      accessToken = null;
      location.assign("/");
    },
  };
});

export type AdminSession = InstanceType<typeof AdminSessionModel>;

function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  // Web Locks exist on https and localhost; elsewhere the tabs take their chances.
  return navigator.locks ? (navigator.locks.request(REFRESH_LOCK, work) as Promise<T>) : work();
}
