/** The root: the sign-in form for visitors, the workspace for a signed-in user. */
import { AuthForm } from "./components/auth-form.tsx";
import { Workspace } from "./components/workspace.tsx";
import type { Router } from "./models/router.ts";
import type { Session } from "./models/session.ts";

export function App({ session, router }: { session: Session; router: Router }) {
  const user = session.user.value;
  if (!user) return <AuthForm session={session} />;
  // Keyed by user: signing in as someone else starts from fresh models.
  return <Workspace key={user.id} session={session} router={router} />;
}
