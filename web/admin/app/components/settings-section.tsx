/** The instance's settings, and announcements to everyone on it. */
import { FormError } from "../../../src/components/form-error.tsx";
import type { Admin } from "../models/admin-model.ts";
import type { InstanceSettingsView, CommunityCreationMode } from "../models/admin-views.ts";
import { BYTES_PER_MEGABYTE, type Settings } from "../models/settings-model.ts";
import { AnnouncementsPanel } from "./announcements-panel.tsx";
import { CREATION_MODES } from "./admin-words.ts";
import { SectionHeading } from "./section-heading.tsx";
import { StatusMessage } from "./status-message.tsx";

export function SettingsSection({ admin }: { admin: Admin }) {
  const { settings } = admin;
  const current = settings.settings.value;
  return (
    <section class="section" aria-labelledby="settings-heading">
      <SectionHeading id="settings-heading">Settings</SectionHeading>
      <FormError id="settings-load-error" error={settings.loading.error.value} />
      <StatusMessage text={settings.notice.value} />
      {current && <SettingsForm settings={settings} current={current} />}
      <AnnouncementsPanel announcements={admin.announcements} />
    </section>
  );
}

function SettingsForm({ settings, current }: { settings: Settings; current: InstanceSettingsView }) {
  const error = settings.saving.error.value;
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    void settings.save({
      instanceName: String(form.get("instanceName") ?? ""),
      communityCreationMode: String(form.get("communityCreationMode")) as CommunityCreationMode,
      uploadMaxMegabytes: String(form.get("uploadMaxMegabytes") ?? ""),
    });
  };
  return (
    <form class="stack" onSubmit={onSubmit} aria-labelledby="instance-settings-heading" noValidate>
      <h2 id="instance-settings-heading">This instance</h2>
      <div class="field">
        <label for="instance-name">Instance name</label>
        <input id="instance-name" name="instanceName" defaultValue={current.instanceName} maxLength={64} />
      </div>
      <fieldset>
        <legend>Who may create communities</legend>
        {CREATION_MODES.map(({ mode, label }) => (
          <div class="choice" key={`${mode}-${current.communityCreationMode}`}>
            <input
              type="radio"
              id={`creation-${mode}`}
              name="communityCreationMode"
              value={mode}
              defaultChecked={mode === current.communityCreationMode}
            />
            <label for={`creation-${mode}`}>{label}</label>
          </div>
        ))}
      </fieldset>
      <div class="field">
        <label for="upload-limit">Largest upload, in megabytes</label>
        <input
          id="upload-limit"
          name="uploadMaxMegabytes"
          type="number"
          inputMode="decimal"
          min={0.001}
          max={10240}
          step="any"
          defaultValue={String(Math.round((current.uploadMaxBytes / BYTES_PER_MEGABYTE) * 1000) / 1000)}
          aria-describedby="upload-limit-hint"
        />
        <span id="upload-limit-hint" class="hint">
          Files larger than this are refused. A reverse proxy in front needs at least this much too
          (client_max_body_size in nginx).
        </span>
      </div>
      <FormError id="settings-error" error={error} />
      <div class="button-row">
        <button type="submit" class="primary" disabled={settings.saving.isBusy.value}>
          Save settings
        </button>
      </div>
    </form>
  );
}
