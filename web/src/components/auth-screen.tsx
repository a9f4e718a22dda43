/**
 * What a visitor sees: sign in (the default), create an account, or reset a
 * forgotten password, with the reason their last session ended, if it did. A
 * visitor who came by a community invite link is told so, and whichever way they
 * sign in, they end up back on the link, which then joins them.
 */
import { useModel } from "@preact/signals";
import { RecoveryModel } from "../models/recovery.ts";
import { RegistrationModel } from "../models/registration.ts";
import { isVisitorRoute, joinPath, type Router } from "../models/router.ts";
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
  const joinCode = route.name === "join" ? route.code : route.name === "register" ? route.joinCode : null;
  /** Signed in from /sign-in, /register or /recover: on to the invite or the channels; from anywhere else, stay. */
  const onSignedIn = () => {
    const current = router.route.peek();
    if (current.name === "register" && current.joinCode) router.replace(joinPath(current.joinCode));
    else if (isVisitorRoute(current)) router.replace("/");
  };

  return (
    <main class="auth">
      <div class="auth-card">
        {notice && (
          <p class="notice" role="alert">
            {sentence(notice)}
          </p>
        )}
        {joinCode && (
          <p class="notice" role="status">
            You have been invited to a community on Chatalot: sign in, or create an account, and you will join it.
          </p>
        )}
        {route.name === "register" ? (
          <RegisterForm
            registration={registration}
            router={router}
            inviteCode={route.inviteCode}
            joinCode={route.joinCode}
            onSignedIn={onSignedIn}
          />
        ) : route.name === "recover" ? (
          <RecoverForm recovery={recovery} router={router} onSignedIn={onSignedIn} />
        ) : (
          <SignInForm signIn={signIn} router={router} joinCode={joinCode} onSignedIn={onSignedIn} />
        )}
      </div>
    </main>
  );
}
