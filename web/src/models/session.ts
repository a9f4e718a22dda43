/**
 * Who is signed in, and the one door to the API on their behalf.
 *
 * The access token (15 minutes) lives only in memory: not in localStorage or
 * sessionStorage, where any script that ever runs on this origin could read it.
 * What survives a reload is the refresh token, in an HttpOnly cookie this code
 * never sees: on start, and shortly before the access token expires, the model
 * trades it at /api/auth/refresh for a new access token (and a rotated cookie).
 */
import { createModel, effect, signal } from "@preact/signals";
import type { SessionView, UserView } from "../../../protocol/index.ts";
import { forgetDevice } from "./encryption/device-store.ts";
import { forgetSearchIndex } from "./search/search-store.ts";
import { ApiError, describeError, requestJson, type ApiRequest } from "./api-client.ts";
import { profiles } from "./profiles.ts";

/** Refresh this long before the access token expires, so no request meets an expired one. */
const REFRESH_MARGIN_MS = 60_000;
/** After a refresh that failed for a passing reason (network, rate limit), try again after this. */
const REFRESH_RETRY_MS = 30_000;
const REFRESH_MIN_DELAY_MS = 5_000;
/** Refresh routes check this header: a cross-site form cannot send it, so it guards the cookie. */
const CSRF_HEADERS = { "X-Chatalot-CSRF": "1" };
/** Shared by every tab: two tabs spending the same refresh token at once would look like theft and end the session. */
const REFRESH_LOCK = "chatalot-refresh";

export const SessionModel = createModel(() => {
  const user = signal<UserView | null>(null);
  /** This sign-in's session id: the end-to-end encryption device is this session. */
  const sessionId = signal<string | null>(null);
  /** True until the start-up refresh has answered: there may be a session to restore. */
  const isRestoring = signal(true);
  const isSigningOut = signal(false);
  /** Why the user is looking at the sign-in page: the session ended, or signing out went wrong. */
  const notice = signal<string | null>(null);
  let accessToken: string | null = null;
  let expiresAtMs = 0;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let refreshing: Promise<RefreshOutcome> | null = null;

  function adopt(view: SessionView): void {
    accessToken = view.accessToken;
    expiresAtMs = Date.parse(view.expiresAt);
    user.value = view.user;
    rememberOwnProfile(view.user);
    sessionId.value = view.sessionId;
    notice.value = null;
    scheduleRefresh(expiresAtMs - Date.now() - REFRESH_MARGIN_MS);
  }

  function forget(reason: string | null): void {
    clearTimeout(refreshTimer);
    // The session was this browser's encryption device: its keys and history keys go with it.
    const ended = sessionId.peek();
    if (ended) void forgetDevice(ended);
    // So does the search index, which holds decrypted text: a session ended from another
    // device (or expired) must not leave it on this one.
    const person = user.peek();
    if (person) void forgetSearchIndex(person.id);
    accessToken = null;
    expiresAtMs = 0;
    user.value = null;
    sessionId.value = null;
    notice.value = reason;
  }

  function scheduleRefresh(delayMs: number): void {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refresh(), Math.max(REFRESH_MIN_DELAY_MS, delayMs));
  }

  /**
   * A new access token from the refresh cookie. One at a time per page (and per
   * browser, by a lock): the token is rotated on every use.
   */
  function refresh(): Promise<RefreshOutcome> {
    refreshing ??= withRefreshLock(async (): Promise<RefreshOutcome> => {
      try {
        adopt(await requestJson<SessionView>("/api/auth/refresh", { method: "POST", headers: CSRF_HEADERS }));
        return { isOk: true };
      } catch (caught) {
        if (caught instanceof ApiError && (caught.status === 401 || caught.status === 403)) {
          // No cookie on a first visit is not news; a session that ended is.
          forget(user.peek() !== null || caught.code !== "unauthorized" ? caught.message : null);
          return { isOk: false, error: caught };
        }
        if (user.peek()) scheduleRefresh(REFRESH_RETRY_MS);
        else notice.value = `your session could not be restored: ${describeError(caught)}`;
        return { isOk: false, error: caught };
      }
    }).finally(() => (refreshing = null));
    return refreshing;
  }

  /** Ends the session on this page, e.g. when the server closed its sockets. */
  function end(reason: string): void {
    if (!user.peek() || isSigningOut.peek()) return;
    forget(reason);
  }

  function request<T>(path: string, init: Omit<ApiRequest, "accessToken"> = {}): Promise<T> {
    return authorized((token) => requestJson<T>(path, { ...init, accessToken: token }));
  }

  /**
   * Runs `send` with the access token: for requests `request` cannot make (bytes,
   * upload progress). `send` throws ApiError as requestJson does; an expired token is
   * refreshed once and `send` runs again.
   */
  async function authorized<T>(send: (accessToken: string) => Promise<T>): Promise<T> {
    if (!accessToken) throw new ApiError(401, "unauthorized", "sign in first");
    try {
      return await send(accessToken);
    } catch (caught) {
      if (!(caught instanceof ApiError) || caught.status !== 401) throw caught;
      if (caught.code !== "unauthorized") {
        end(caught.message); // session_ended: revoked, signed out elsewhere, or the user was suspended
        throw caught;
      }
    }
    // An expired access token is routine: refresh once and try once more.
    const outcome = await refresh();
    if (!outcome.isOk) throw outcome.error;
    if (!accessToken) throw new ApiError(401, "unauthorized", "sign in first");
    try {
      return await send(accessToken);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 401) end(caught.message);
      throw caught;
    }
  }

  // A tab in the background may have slept through its timer: catch up on return.
  effect(() => {
    const onVisible = () => {
      if (document.visibilityState === "visible" && accessToken && Date.now() > expiresAtMs - REFRESH_MARGIN_MS)
        void refresh();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  });

  void refresh().finally(() => (isRestoring.value = false));

  return {
    user,
    sessionId,
    isRestoring,
    isSigningOut,
    notice,
    /** Takes over a session the server just started (sign-in, registration, recovery). */
    adopt,
    end,
    request,
    authorized,
    updateUser(next: UserView) {
      user.value = next;
      rememberOwnProfile(next);
    },
    /** Revokes this session on the server (which also clears the cookie), then forgets it here. */
    async signOut(): Promise<void> {
      if (isSigningOut.peek()) return;
      isSigningOut.value = true;
      try {
        await request<null>("/api/auth/logout", { method: "POST", headers: CSRF_HEADERS });
        forget(null);
      } catch (caught) {
        if (caught instanceof ApiError && caught.status === 401) forget(null);
        else
          forget(
            `the server could not be told that you signed out (${describeError(caught)}): reload the page and sign out again once it is reachable`,
          );
      } finally {
        isSigningOut.value = false;
      }
    },
  };
});

export type Session = InstanceType<typeof SessionModel>;

/** One's own display name and status show from the start, before any list names them. */
function rememberOwnProfile(user: UserView): void {
  const { id: userId, username, displayName, customStatus } = user;
  profiles.remember([{ userId, username, displayName, customStatus }]);
}

type RefreshOutcome = { isOk: true } | { isOk: false; error: unknown };

function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  // Web Locks exist on https and localhost; elsewhere the tabs take their chances.
  return navigator.locks ? (navigator.locks.request(REFRESH_LOCK, work) as Promise<T>) : work();
}
