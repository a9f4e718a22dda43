/**
 * What a visitor sees: sign in (the default), create an account, or reset a
 * forgotten password, with the reason their last session ended, if it did.
 */
import { useModel } from "@preact/signals";
import { RecoveryModel } from "../models/recovery.ts";
import { RegistrationModel } from "../models/registration.ts";
import { isVisitorRoute, type Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import { SignInModel } from "../models/sign-in.ts";
import { RecoverForm } from "./recover-form.tsx";
import { RegisterForm } from "./register-form.tsx";
import { sentence } from "./sentence.ts";
import { SignInForm } from "./sign-in-form.tsx";

export function AuthScreen({ session, router }: { session: Session; router: Router }) {
  const signIn = useModel(() => new SignInModel(session));
  const registration = useModel(() => new RegistrationModel(session));
  const recovery = useModel(() => new RecoveryModel(session));
  const route = router.route.value;
  const notice = session.notice.value;
  /** Signed in from /sign-in, /register or /recover: on to the channels; from anywhere else, stay. */
  const onSignedIn = () => {
    if (isVisitorRoute(router.route.peek())) router.replace("/");
  };

  return (
    <main class="auth">
      <div class="auth-card">
        {notice && (
          <p class="notice" role="alert">
            {sentence(notice)}
          </p>
        )}
        {route.name === "register" ? (
          <RegisterForm
            registration={registration}
            router={router}
            inviteCode={route.inviteCode}
            onSignedIn={onSignedIn}
          />
        ) : route.name === "recover" ? (
          <RecoverForm recovery={recovery} router={router} onSignedIn={onSignedIn} />
        ) : (
          <SignInForm signIn={signIn} router={router} onSignedIn={onSignedIn} />
        )}
      </div>
    </main>
  );
}
