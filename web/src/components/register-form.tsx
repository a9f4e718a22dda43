/**
 * Creating an account, with an invite code when the server asks for one (an
 * invite link fills it in); then the app opens on "Save your recovery key".
 */
import type { Registration } from "../models/registration.ts";
import { joinPath, type Router } from "../models/router.ts";
import { AppLink } from "./app-link.tsx";
import { describedBy, FormError } from "./form-error.tsx";

interface RegisterFormProps {
  registration: Registration;
  router: Router;
  inviteCode: string | null;
  /** A community invite the visitor came by: signing in instead goes back to it. */
  joinCode: string | null;
  onSignedIn: () => void;
}

export function RegisterForm({ registration, router, inviteCode, joinCode, onSignedIn }: RegisterFormProps) {
  const error = registration.action.error.value;

  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    void registration
      .register({
        username: String(form.get("username") ?? ""),
        password: String(form.get("password") ?? ""),
        inviteCode: String(form.get("invite") ?? ""),
      })
      .then((isRegistered) => isRegistered && onSignedIn());
  };

  return (
    <form class="auth-form" onSubmit={onSubmit} aria-labelledby="register-heading" noValidate>
      <h1 id="register-heading">Create your Chatalot account</h1>
      <label for="register-username">Username</label>
      <input
        id="register-username"
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellcheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy("register-username-hint", error && "register-error")}
      />
      <p id="register-username-hint" class="hint">
        3 to 32 letters, digits, “_”, “.” or “-”.
      </p>
      <label for="register-password">Password</label>
      <input
        id="register-password"
        name="password"
        type="password"
        autoComplete="new-password"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy("register-password-hint", error && "register-error")}
      />
      <p id="register-password-hint" class="hint">
        At least 10 characters. A few random words make a good one.
      </p>
      <label for="register-invite">Invite code (if you have one)</label>
      <input
        id="register-invite"
        name="invite"
        autoComplete="off"
        autoCapitalize="none"
        spellcheck={false}
        defaultValue={inviteCode ?? ""}
        aria-describedby={describedBy("register-invite-hint", error && "register-error")}
      />
      <p id="register-invite-hint" class="hint">
        {inviteCode
          ? "Filled in from your invite link."
          : "Some servers only accept new accounts with an invite from an admin."}
      </p>
      <FormError id="register-error" error={error} />
      <button type="submit" class="primary" disabled={registration.action.isBusy.value}>
        Create account
      </button>
      <p class="switch-mode">
        Already have an account?{" "}
        <AppLink href={joinCode ? joinPath(joinCode) : "/sign-in"} router={router}>
          Sign in instead
        </AppLink>
      </p>
    </form>
  );
}
