/** The overview: the instance's health, sizes, live figures and the warnings to act on. */
import { createModel, signal } from "@preact/signals";
import { createAction } from "../../../src/models/action.ts";
import type { AdminApi } from "./admin-api.ts";
import type { OverviewView } from "./admin-views.ts";

export const OverviewModel = createModel((api: AdminApi) => {
  const overview = signal<OverviewView | null>(null);
  const loading = createAction();

  return {
    overview,
    loading,
    async load(): Promise<void> {
      const answer = await loading.run(() => api.get<OverviewView>("/api/admin/overview"));
      if (answer) overview.value = answer;
    },
  };
});

export type Overview = InstanceType<typeof OverviewModel>;
