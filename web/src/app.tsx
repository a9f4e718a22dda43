/**
 * The root: nothing while a saved session is being restored, the visitor pages
 * when nobody is signed in, the workspace for a signed-in user.
 */
import { AuthScreen } from "./components/auth-screen.tsx";
import { Workspace } from "./components/workspace.tsx";
import type { Router } from "./models/router.ts";
import type { Session } from "./models/session.ts";

export function App({ session, router }: { session: Session; router: Router }) {
  if (session.isRestoring.value) {
    return (
      <main class="auth">
        <p class="placeholder" role="status">
          Loading Chatalot…
        </p>
      </main>
    );
  }
  const user = session.user.value;
  if (!user) return <AuthScreen session={session} router={router} />;
  // Keyed by user: signing in as someone else starts from fresh models.
  return <Workspace key={user.id} session={session} router={router} />;
}
