/**
 * Who is signed in, and the one door to the API on their behalf.
 *
 * The access token lives only in memory: not in localStorage or sessionStorage,
 * where any script that ever runs on this origin could read it. A later issue adds
 * an HttpOnly refresh cookie that survives a reload; until then a reload signs the
 * user out, and they sign in again (history is on the server, nothing is lost).
 */
import { computed, createModel, signal } from "@preact/signals";
import { credentialsSchema, type Credentials, type SessionView, type UserView } from "../../../protocol/index.ts";
import { ApiError, describeError, requestJson, type ApiRequest } from "./api-client.ts";

export const SessionModel = createModel(() => {
  const user = signal<UserView | null>(null);
  let accessToken: string | null = null;
  const isSignedIn = computed(() => user.value !== null);
  const isBusy = signal(false);
  /** Why the last attempt to sign in failed, or why the session ended. */
  const error = signal<string | null>(null);

  async function start(path: string, credentials: Credentials): Promise<boolean> {
    const parsed = credentialsSchema.safeParse(credentials);
    if (!parsed.success) {
      error.value = parsed.error.issues[0]?.message ?? "check the username and password";
      return false;
    }
    isBusy.value = true;
    error.value = null;
    try {
      const session = await requestJson<SessionView>(path, { method: "POST", body: parsed.data });
      accessToken = session.accessToken;
      user.value = session.user;
      return true;
    } catch (caught) {
      error.value = describeError(caught);
      return false;
    } finally {
      isBusy.value = false;
    }
  }

  function signOut(reason: string | null = null): void {
    accessToken = null;
    user.value = null;
    error.value = reason;
  }

  return {
    user,
    isSignedIn,
    isBusy,
    error,
    signIn: (credentials: Credentials) => start("/api/auth/login", credentials),
    register: (credentials: Credentials) => start("/api/auth/register", credentials),
    signOut,
    clearError() {
      error.value = null;
    },
    /** An API call as the signed-in user; a rejected token ends the session. */
    async request<T>(path: string, request: Omit<ApiRequest, "accessToken"> = {}): Promise<T> {
      if (!accessToken) throw new ApiError(401, "unauthorized", "sign in first");
      try {
        return await requestJson<T>(path, { ...request, accessToken });
      } catch (caught) {
        if (caught instanceof ApiError && caught.status === 401) signOut(caught.message);
        throw caught;
      }
    },
  };
});

export type Session = InstanceType<typeof SessionModel>;
