/** Announcements to everyone on the instance: the ones in force, a new one, taking one down. */
import { createModel, signal } from "@preact/signals";
import { announcementSchema } from "../../../../protocol/index.ts";
import { createAction } from "../../../src/models/action.ts";
import type { AdminApi } from "./admin-api.ts";
import type { AnnouncementView } from "./admin-views.ts";

export const AnnouncementsModel = createModel((api: AdminApi) => {
  const announcements = signal<AnnouncementView[]>([]);
  const loading = createAction();
  const posting = createAction();
  const removing = createAction();
  const confirmingRemove = signal<string | null>(null);
  const notice = signal<string | null>(null);

  async function load(): Promise<void> {
    const answer = await loading.run(() => api.get<{ announcements: AnnouncementView[] }>("/api/announcements"));
    if (answer) announcements.value = answer.announcements;
  }

  return {
    announcements,
    loading,
    posting,
    removing,
    confirmingRemove,
    notice,
    load,
    /** Posts `body` to everyone; `expiresInHours` empty keeps it up until it is taken down. Resolves true when posted. */
    async post(body: string, expiresInHours: string): Promise<boolean> {
      notice.value = null;
      const parsed = announcementSchema.safeParse({
        body,
        ...(expiresInHours ? { expiresInHours: Number(expiresInHours) } : {}),
      });
      if (!parsed.success) return posting.fail("write the announcement first (at most 2,000 characters)");
      if ((await posting.run(() => api.post("/api/admin/announcements", parsed.data))) === null) return false;
      notice.value = "the announcement is posted";
      await load();
      return true;
    },
    askRemove(id: string) {
      removing.reset();
      confirmingRemove.value = id;
    },
    cancelRemove() {
      confirmingRemove.value = null;
    },
    async remove(id: string): Promise<void> {
      const path = `/api/admin/announcements/${encodeURIComponent(id)}`;
      if ((await removing.run(async () => (await api.delete(path), true))) === null) return;
      confirmingRemove.value = null;
      notice.value = "the announcement is taken down";
      await load();
    },
  };
});

export type Announcements = InstanceType<typeof AnnouncementsModel>;
