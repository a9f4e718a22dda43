/** Who may register: the mode, and invites for an invite-only server. */
import { FormError } from "../../../src/components/form-error.tsx";
import type { Registration } from "../models/registration-model.ts";
import type { RegistrationMode } from "../models/admin-views.ts";
import { REGISTRATION_MODES, registrationModeInWords } from "./admin-words.ts";
import { InviteForm } from "./invite-form.tsx";
import { InviteList } from "./invite-list.tsx";
import { SectionHeading } from "./section-heading.tsx";
import { StatusMessage } from "./status-message.tsx";

export function RegistrationSection({ registration }: { registration: Registration }) {
  const { mode, loading } = registration;
  return (
    <section class="section" aria-labelledby="registration-heading">
      <SectionHeading id="registration-heading">Registration</SectionHeading>
      <FormError id="registration-error" error={loading.error.value} />
      {mode.value && <ModeForm registration={registration} current={mode.value} />}
      <section aria-labelledby="invites-heading">
        <h2 id="invites-heading">Invites</h2>
        <p class="secondary">
          An invite link lets people register while registration is invite only. Each link is shown once, when it is
          created.
        </p>
        <StatusMessage text={registration.notice.value} />
        <InviteForm registration={registration} />
        <InviteList registration={registration} />
      </section>
    </section>
  );
}

function ModeForm({ registration, current }: { registration: Registration; current: RegistrationMode }) {
  const { modeChange } = registration;
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const chosen = new FormData(event.currentTarget as HTMLFormElement).get("mode");
    void registration.setMode(chosen as RegistrationMode);
  };
  return (
    <form class="stack" onSubmit={onSubmit} aria-describedby="mode-status">
      <fieldset>
        <legend>Who may create an account</legend>
        {REGISTRATION_MODES.map(({ mode, label, explanation }) => (
          // Keyed by the mode in force too, so a saved change resets which radio starts checked.
          <div class="choice" key={`${mode}-${current}`}>
            <input
              type="radio"
              id={`mode-${mode}`}
              name="mode"
              value={mode}
              defaultChecked={mode === current}
              aria-describedby={`mode-${mode}-explanation`}
            />
            <label for={`mode-${mode}`}>{label}</label>
            <span id={`mode-${mode}-explanation`} class="secondary">
              {explanation}
            </span>
          </div>
        ))}
      </fieldset>
      <p id="mode-status" role="status" class="status-message">
        Registration is {registrationModeInWords(current).toLowerCase()}.
      </p>
      <FormError id="mode-error" error={modeChange.error.value} />
      <div class="button-row">
        <button type="submit" class="primary" disabled={modeChange.isBusy.value}>
          Change registration mode
        </button>
      </div>
    </form>
  );
}
