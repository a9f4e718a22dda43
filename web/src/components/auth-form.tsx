/** Sign in, or create an account; the server's reason is shown when it says no. */
import { useSignal } from "@preact/signals";
import type { Session } from "../models/session.ts";
import { sentence } from "./sentence.ts";

export function AuthForm({ session }: { session: Session }) {
  const isRegistering = useSignal(false);
  const error = session.error.value;

  const toggleMode = () => {
    isRegistering.value = !isRegistering.value;
    session.clearError();
  };

  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const credentials = { username: String(form.get("username") ?? ""), password: String(form.get("password") ?? "") };
    void (isRegistering.value ? session.register(credentials) : session.signIn(credentials));
  };

  return (
    <main class="auth">
      <form class="auth-form" onSubmit={onSubmit} aria-labelledby="auth-heading" noValidate>
        <h1 id="auth-heading">{isRegistering.value ? "Create your Chatalot account" : "Sign in to Chatalot"}</h1>
        <label for="auth-username">Username</label>
        <input
          id="auth-username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellcheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "auth-error" : undefined}
        />
        <label for="auth-password">Password</label>
        <input
          id="auth-password"
          name="password"
          type="password"
          autoComplete={isRegistering.value ? "new-password" : "current-password"}
          aria-invalid={error ? true : undefined}
          aria-describedby={[isRegistering.value ? "password-hint" : "", error ? "auth-error" : ""].join(" ").trim() || undefined}
        />
        {isRegistering.value && (
          <p id="password-hint" class="hint">
            At least 10 characters.
          </p>
        )}
        {error && (
          <p id="auth-error" class="error" role="alert">
            {sentence(error)}
          </p>
        )}
        <button type="submit" class="primary" disabled={session.isBusy.value}>
          {isRegistering.value ? "Create account" : "Sign in"}
        </button>
        <p class="switch-mode">
          {isRegistering.value ? "Already have an account? " : "New here? "}
          <button type="button" class="link-button" onClick={toggleMode}>
            {isRegistering.value ? "Sign in instead" : "Create an account"}
          </button>
        </p>
      </form>
    </main>
  );
}
