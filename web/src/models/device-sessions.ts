/**
 * The user's signed-in devices: list them, sign one out, or sign out every
 * other one. Signing out this device's own session is the session model's job.
 */
import { createModel, signal } from "@preact/signals";
import type { DeviceSessionView } from "../../../protocol/index.ts";
import { createAction } from "./action.ts";
import type { Session } from "./session.ts";

export const DeviceSessionsModel = createModel((session: Session) => {
  const sessions = signal<DeviceSessionView[]>([]);
  const isLoaded = signal(false);
  const loading = createAction();
  const changing = createAction();
  /** Said after a change, e.g. how many sessions were signed out. */
  const outcome = signal<string | null>(null);

  async function load(): Promise<void> {
    const answer = await loading.run(() => session.request<{ sessions: DeviceSessionView[] }>("/api/sessions"));
    if (!answer) return;
    // This device first, then the most recently active.
    sessions.value = [...answer.sessions].sort((a, b) => Number(b.isCurrent) - Number(a.isCurrent));
    isLoaded.value = true;
  }
  void load();

  return {
    sessions,
    isLoaded,
    loading,
    changing,
    outcome,
    load,
    async revoke(sessionId: string): Promise<void> {
      outcome.value = null;
      const path = `/api/sessions/${encodeURIComponent(sessionId)}`;
      const isDone = await changing.run(async () => (await session.request<null>(path, { method: "DELETE" }), true));
      if (isDone) {
        sessions.value = sessions.value.filter((known) => known.id !== sessionId);
        outcome.value = "that session is signed out";
      }
      await load();
    },
    async revokeOthers(): Promise<void> {
      outcome.value = null;
      const answer = await changing.run(() =>
        session.request<{ revoked: number }>("/api/sessions/revoke-others", { method: "POST" }),
      );
      if (answer) {
        sessions.value = sessions.value.filter((known) => known.isCurrent);
        outcome.value =
          answer.revoked === 1 ? "1 other session was signed out" : `${answer.revoked} other sessions were signed out`;
      }
      await load();
    },
  };
});

export type DeviceSessions = InstanceType<typeof DeviceSessionsModel>;
