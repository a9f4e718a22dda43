/** Username and password; then, for accounts with two-factor on, the code step. */
import { registerPath, type Router } from "../models/router.ts";
import type { SignIn } from "../models/sign-in.ts";
import { AppLink } from "./app-link.tsx";
import { describedBy, FormError } from "./form-error.tsx";
import { SecondFactorForm } from "./second-factor-form.tsx";

interface SignInFormProps {
  signIn: SignIn;
  router: Router;
  /** A community invite to carry through to registration, when the visitor came by one. */
  joinCode: string | null;
  onSignedIn: () => void;
}

export function SignInForm({ signIn, router, joinCode, onSignedIn }: SignInFormProps) {
  if (signIn.step.value === "second-factor") return <SecondFactorForm signIn={signIn} onSignedIn={onSignedIn} />;
  const error = signIn.action.error.value;

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    if (await signIn.submitPassword(String(form.get("username") ?? ""), String(form.get("password") ?? "")))
      onSignedIn();
  };

  return (
    <form class="auth-form" onSubmit={onSubmit} aria-labelledby="sign-in-heading" noValidate>
      <h1 id="sign-in-heading">Sign in to Chatalot</h1>
      <label for="sign-in-username">Username</label>
      <input
        id="sign-in-username"
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellcheck={false}
        defaultValue={signIn.username.value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(error && "sign-in-error")}
      />
      <label for="sign-in-password">Password</label>
      <input
        id="sign-in-password"
        name="password"
        type="password"
        autoComplete="current-password"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(error && "sign-in-error")}
      />
      <FormError id="sign-in-error" error={error} />
      <button type="submit" class="primary" disabled={signIn.action.isBusy.value}>
        Sign in
      </button>
      <p class="switch-mode">
        <AppLink href="/recover" router={router}>
          Forgot your password?
        </AppLink>
      </p>
      <p class="switch-mode">
        New here?{" "}
        <AppLink href={registerPath(joinCode)} router={router}>
          Create an account
        </AppLink>
      </p>
    </form>
  );
}
