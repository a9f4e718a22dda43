/** The instance settings an admin changes at runtime: its name, who may create communities, the upload limit. */
import { createModel, signal } from "@preact/signals";
import { instanceSettingsSchema } from "../../../../protocol/index.ts";
import { createAction } from "../../../src/models/action.ts";
import type { AdminApi } from "./admin-api.ts";
import type { CommunityCreationMode, InstanceSettingsView } from "./admin-views.ts";

export const BYTES_PER_MEGABYTE = 1024 * 1024;

/** The settings form as typed; the upload limit in megabytes. */
export interface SettingsForm {
  instanceName: string;
  communityCreationMode: CommunityCreationMode;
  uploadMaxMegabytes: string;
}

export const SettingsModel = createModel((api: AdminApi) => {
  const settings = signal<InstanceSettingsView | null>(null);
  const loading = createAction();
  const saving = createAction();
  const notice = signal<string | null>(null);

  return {
    settings,
    loading,
    saving,
    notice,
    async load(): Promise<void> {
      const answer = await loading.run(() => api.get<{ settings: InstanceSettingsView }>("/api/admin/settings"));
      if (answer) settings.value = answer.settings;
    },
    async save(form: SettingsForm): Promise<void> {
      notice.value = null;
      const megabytes = Number(form.uploadMaxMegabytes);
      const parsed = instanceSettingsSchema.safeParse({
        instanceName: form.instanceName,
        communityCreationMode: form.communityCreationMode,
        uploadMaxBytes: Number.isFinite(megabytes) ? Math.round(megabytes * BYTES_PER_MEGABYTE) : Number.NaN,
      });
      if (!parsed.success) {
        const field = parsed.error.issues[0]?.path[0];
        saving.fail(
          field === "instanceName"
            ? "the instance name needs 1 to 64 characters"
            : "the upload limit must be a number of megabytes from 0.001 to 10,240",
        );
        return;
      }
      const answer = await saving.run(() =>
        api.patch<{ settings: InstanceSettingsView }>("/api/admin/settings", parsed.data),
      );
      if (!answer) return;
      settings.value = answer.settings;
      notice.value = "the settings are saved and apply at once";
    },
  };
});

export type Settings = InstanceType<typeof SettingsModel>;
