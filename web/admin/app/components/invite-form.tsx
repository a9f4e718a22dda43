/** Creating a registration invite, and the new invite's link, shown this once. */
import { describedBy, FormError } from "../../../src/components/form-error.tsx";
import type { Registration } from "../models/registration-model.ts";
import { LIFETIMES } from "./admin-words.ts";

const DEFAULT_LIFETIME_HOURS = "168";

export function InviteForm({ registration }: { registration: Registration }) {
  const { creating, created } = registration;
  const error = creating.error.value;
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    void registration.create(String(form.get("expires") ?? ""), String(form.get("maxUses") ?? ""));
  };
  return (
    <>
      <form class="inline-form" onSubmit={onSubmit} noValidate>
        <div class="field">
          <label for="invite-expires">Expires after</label>
          <select id="invite-expires" name="expires">
            {LIFETIMES.map(({ hours, label }) => (
              <option key={hours} value={hours} selected={hours === DEFAULT_LIFETIME_HOURS}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="invite-uses">Maximum uses</label>
          <input
            id="invite-uses"
            name="maxUses"
            type="number"
            inputMode="numeric"
            min={1}
            max={10000}
            defaultValue="1"
            aria-describedby={describedBy("invite-uses-hint", error && "invite-error")}
            aria-invalid={error ? true : undefined}
          />
        </div>
        <button type="submit" class="primary" disabled={creating.isBusy.value}>
          Create invite
        </button>
      </form>
      <p id="invite-uses-hint" class="hint">
        Leave the maximum uses empty for an invite anyone with the link can use until it expires.
      </p>
      <FormError id="invite-error" error={error} />
      {created.value && (
        <div class="created-invite" role="group" aria-labelledby="created-invite-heading">
          <h3 id="created-invite-heading">New invite: send this link now, it is not shown again</h3>
          <label for="created-invite-link">Invite link</label>
          <div class="field-row">
            <input id="created-invite-link" readOnly value={created.value.link} onFocus={selectAll} />
            <button type="button" onClick={() => registration.copyLink()}>
              Copy link
            </button>
          </div>
          <p class="secondary">
            Code: <code class="invite-code">{created.value.code}</code>
          </p>
        </div>
      )}
    </>
  );
}

const selectAll = (event: FocusEvent) => (event.currentTarget as HTMLInputElement).select();
