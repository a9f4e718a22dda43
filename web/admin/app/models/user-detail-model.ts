/**
 * One person in detail, and what an admin may do to their account: suspend and
 * lift it, delete it, grant or revoke admin rights, reset two-factor, sign out
 * every session. Changes that cannot be taken back wait for a confirmation.
 */
import { createModel, signal } from "@preact/signals";
import { suspendSchema } from "../../../../protocol/index.ts";
import { createAction } from "../../../src/models/action.ts";
import type { AdminApi } from "./admin-api.ts";
import type { UserDetailView } from "./admin-views.ts";

/** A change that is confirmed before it is made (suspending asks for its reason instead). */
export type UserChange = "suspend" | "delete" | "grant-admin" | "revoke-admin" | "reset-two-factor" | "revoke-sessions";

export const UserDetailModel = createModel((api: AdminApi, onDeleted: (username: string) => void) => {
  const userId = signal<string | null>(null);
  const detail = signal<UserDetailView | null>(null);
  const loading = createAction();
  const change = createAction();
  /** The change the admin asked for and has not confirmed yet. */
  const confirming = signal<UserChange | null>(null);
  /** What the last change did, in words. */
  const notice = signal<string | null>(null);
  const path = () => `/api/admin/users/${encodeURIComponent(userId.peek() ?? "")}`;

  async function open(id: string): Promise<void> {
    if (id !== userId.peek()) {
      userId.value = id;
      detail.value = null;
      confirming.value = null;
      notice.value = null;
      change.reset();
    }
    const answer = await loading.run(() => api.get<UserDetailView>(path()));
    if (answer && answer.user.id === userId.peek()) detail.value = answer;
  }

  /**
   * Makes a change, then reads the account again while still busy, so the word of
   * what it did arrives together with the account as it now is.
   */
  async function apply(work: () => Promise<unknown>, done: (username: string) => string): Promise<void> {
    const username = detail.peek()?.user.username ?? "that account";
    const changed = await change.run(async () => {
      await work();
      return api.get<UserDetailView>(path());
    });
    if (!changed || changed.user.id !== userId.peek()) return;
    detail.value = changed;
    confirming.value = null;
    notice.value = done(username);
  }

  return {
    userId,
    detail,
    loading,
    change,
    confirming,
    notice,
    open,
    ask(next: UserChange) {
      change.reset();
      notice.value = null;
      confirming.value = next;
    },
    cancel() {
      confirming.value = null;
      change.reset();
    },
    async suspend(reason: string): Promise<void> {
      const parsed = suspendSchema.safeParse({ reason });
      if (!parsed.success) {
        change.fail("give a reason for the suspension (at most 500 characters): it is kept in the audit log");
        return;
      }
      const done = (name: string) =>
        `suspended ${name}: their open sessions have ended, and they cannot sign in until you lift the suspension`;
      await apply(() => api.post(`${path()}/suspend`, parsed.data), done);
    },
    async unsuspend(): Promise<void> {
      const done = (name: string) => `lifted ${name}'s suspension: they can sign in again`;
      await apply(() => api.post(`${path()}/unsuspend`), done);
    },
    async setAdmin(isAdmin: boolean): Promise<void> {
      const done = (name: string) => (isAdmin ? `made ${name} an instance admin` : `revoked ${name}'s admin rights`);
      await apply(() => api.put(`${path()}/admin`, { isAdmin }), done);
    },
    async resetTwoFactor(): Promise<void> {
      const done = (name: string) =>
        `reset ${name}'s two-factor authentication: they sign in with their password alone until they turn it on again`;
      await apply(() => api.post(`${path()}/reset-two-factor`), done);
    },
    async revokeSessions(): Promise<void> {
      const done = (name: string) => `signed out all of ${name}'s sessions`;
      await apply(() => api.post(`${path()}/revoke-sessions`), done);
    },
    async remove(): Promise<void> {
      const username = detail.peek()?.user.username ?? "that account";
      if ((await change.run(async () => (await api.delete(path()), true))) === null) return;
      confirming.value = null;
      onDeleted(username);
    },
  };
});

export type UserDetail = InstanceType<typeof UserDetailModel>;
