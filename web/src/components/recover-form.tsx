/**
 * "Forgot password": the recovery key (or an old account's recovery code) sets a new
 * password; every other session is signed out. After an old recovery code, the new
 * code is shown once; the recovery key goes on working, and unlocks the history too.
 */
import type { Recovery } from "../models/recovery.ts";
import type { Router } from "../models/router.ts";
import { AppLink } from "./app-link.tsx";
import { describedBy, FormError } from "./form-error.tsx";
import { RecoveryCodeNotice } from "./recovery-code-notice.tsx";

interface RecoverFormProps {
  recovery: Recovery;
  router: Router;
  onSignedIn: () => void;
}

export function RecoverForm({ recovery, router, onSignedIn }: RecoverFormProps) {
  const recoveryCode = recovery.recoveryCode.value;
  if (recoveryCode) {
    const onContinue = () => {
      recovery.finish();
      onSignedIn();
    };
    return <RecoveryCodeNotice code={recoveryCode} onContinue={onContinue} />;
  }
  const error = recovery.action.error.value;

  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    void recovery
      .recover({
        username: String(form.get("username") ?? ""),
        recoveryCode: String(form.get("recoveryCode") ?? ""),
        newPassword: String(form.get("newPassword") ?? ""),
      })
      // With the recovery key there is no new code to show: straight on into the app.
      .then((isRecovered) => isRecovered && !recovery.recoveryCode.peek() && onSignedIn());
  };

  return (
    <form class="auth-form" onSubmit={onSubmit} aria-labelledby="recover-heading" noValidate>
      <h1 id="recover-heading">Reset your password</h1>
      <p class="hint" id="recover-hint">
        Use the recovery key you saved when you created your account (an account made before recovery keys uses its
        recovery code). Every device signed in to the account will be signed out.
      </p>
      <label for="recover-username">Username</label>
      <input
        id="recover-username"
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellcheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy("recover-hint", error && "recover-error")}
      />
      <label for="recover-code">Recovery key or recovery code</label>
      <input
        id="recover-code"
        name="recoveryCode"
        autoComplete="off"
        autoCapitalize="none"
        spellcheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(error && "recover-error")}
      />
      <label for="recover-new-password">New password</label>
      <input
        id="recover-new-password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy("recover-password-hint", error && "recover-error")}
      />
      <p id="recover-password-hint" class="hint">
        At least 10 characters.
      </p>
      <FormError id="recover-error" error={error} />
      <button type="submit" class="primary" disabled={recovery.action.isBusy.value}>
        Reset password
      </button>
      <p class="switch-mode">
        <AppLink href="/sign-in" router={router}>
          Back to sign in
        </AppLink>
      </p>
    </form>
  );
}
