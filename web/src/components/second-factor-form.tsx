/** The second sign-in step: a code from the authenticator app, or a backup code. */
import type { SignIn } from "../models/sign-in.ts";
import { describedBy, FormError } from "./form-error.tsx";
import { useFocusOnMount } from "./use-focus-on-mount.ts";

export function SecondFactorForm({ signIn, onSignedIn }: { signIn: SignIn; onSignedIn: () => void }) {
  const error = signIn.action.error.value;
  const isBackup = signIn.isUsingBackupCode.value;
  const input = useFocusOnMount<HTMLInputElement>();

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    if (await signIn.submitCode(String(new FormData(form).get("code") ?? ""))) onSignedIn();
    else form.querySelector<HTMLInputElement>("input[name=code]")?.select();
  };
  const toggle = () => {
    signIn.toggleBackupCode();
    if (!input.current) return;
    input.current.value = "";
    input.current.focus();
  };

  return (
    <form class="auth-form" onSubmit={onSubmit} aria-labelledby="second-factor-heading" noValidate>
      <h1 id="second-factor-heading">Two-factor authentication</h1>
      <p class="hint" id="second-factor-hint">
        {isBackup
          ? `Enter one of the backup codes you saved for ${signIn.username.value}. Each works once.`
          : `Enter the 6-digit code your authenticator app shows for ${signIn.username.value}.`}
      </p>
      <label for="second-factor-code">{isBackup ? "Backup code" : "Two-factor code"}</label>
      <input
        ref={input}
        id="second-factor-code"
        name="code"
        autoComplete="one-time-code"
        autoCapitalize="none"
        spellcheck={false}
        inputMode={isBackup ? "text" : "numeric"}
        maxLength={isBackup ? 64 : 6}
        placeholder={isBackup ? "xxxx-xxxx-xxxx-xxxx" : "123456"}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy("second-factor-hint", error && "second-factor-error")}
      />
      <FormError id="second-factor-error" error={error} />
      <button type="submit" class="primary" disabled={signIn.action.isBusy.value}>
        Verify and sign in
      </button>
      <p class="switch-mode">
        <button type="button" class="link-button" onClick={toggle}>
          {isBackup ? "Use the authenticator app instead" : "Use a backup code instead"}
        </button>
      </p>
      <p class="switch-mode">
        <button type="button" class="link-button" onClick={() => signIn.startOver()}>
          Sign in as someone else
        </button>
      </p>
    </form>
  );
}
