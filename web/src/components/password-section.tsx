/** Changing the password; the server signs out every other session. */
import type { AccountSecrets } from "../models/account-secrets.ts";
import { describedBy, FormError } from "./form-error.tsx";

export function PasswordSection({ secrets, onChange }: { secrets: AccountSecrets; onChange: () => void }) {
  const action = secrets.changingPassword;
  const error = action.error.value;

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    if (!(await secrets.changePassword(String(data.get("current") ?? ""), String(data.get("new") ?? "")))) return;
    form.reset();
    onChange();
  };

  return (
    <section class="card" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <form class="stack" onSubmit={onSubmit} noValidate>
        <label for="password-current">Current password</label>
        <input
          id="password-current"
          name="current"
          type="password"
          autoComplete="current-password"
          aria-describedby={describedBy(error && "password-error")}
        />
        <label for="password-new">New password</label>
        <input
          id="password-new"
          name="new"
          type="password"
          autoComplete="new-password"
          aria-describedby={describedBy("password-new-hint", error && "password-error")}
        />
        <p id="password-new-hint" class="hint">
          At least 10 characters. Every other session will be signed out.
        </p>
        <FormError id="password-error" error={error} />
        <button type="submit" class="primary" disabled={action.isBusy.value}>
          Change password
        </button>
        <p class="hint" role="status">
          {secrets.passwordChanged.value && "Your password was changed, and every other session was signed out."}
        </p>
      </form>
    </section>
  );
}
