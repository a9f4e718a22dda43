/**
 * The root: nothing while a saved session is being restored, the visitor pages
 * when nobody is signed in, the workspace for a signed-in user. The workspace
 * (and with it the encryption library) is its own chunk, loaded once someone is
 * signed in, so the sign-in page stays small. Offline, a banner says so above both.
 */
import { lazy, Suspense } from "preact/compat";
import { AuthScreen } from "./components/auth-screen.tsx";
import { OfflineBanner } from "./components/offline-banner.tsx";
import { isServerUnreachable } from "./models/reachability.ts";
import type { Router } from "./models/router.ts";
import type { Session } from "./models/session.ts";

/**
 * Set while someone is signed in on this browser (nothing secret: a flag). A start that
 * finds it fetches the workspace at once, beside the session check, not after it.
 */
const SIGNED_IN_HINT = "chatalot.signedIn";
const loadWorkspace = () => import("./components/workspace.tsx");
if (localStorage.getItem(SIGNED_IN_HINT)) void loadWorkspace();
const Workspace = lazy(() => loadWorkspace().then((module) => module.Workspace));

/** Keeps the hint in step with the session, once it is known. */
export function rememberSignedIn(session: Session): void {
  if (session.isRestoring.value) return;
  if (session.user.value) localStorage.setItem(SIGNED_IN_HINT, "1");
  else localStorage.removeItem(SIGNED_IN_HINT);
}

function Loading({ words = "Loading Chatalot…" }: { words?: string }) {
  return (
    <main class="auth">
      <p class="placeholder" role="status">
        {words}
      </p>
    </main>
  );
}

export function App({ session, router }: { session: Session; router: Router }) {
  return (
    <>
      <OfflineBanner />
      <Screen session={session} router={router} />
    </>
  );
}

function Screen({ session, router }: { session: Session; router: Router }) {
  if (session.isRestoring.value) return <Loading />;
  const user = session.user.value;
  // Opened with no network: the saved session comes back with it (main.tsx), not by signing in.
  if (!user && isServerUnreachable.value) return <Loading words="Chatalot opens once the network is back." />;
  if (!user) return <AuthScreen session={session} router={router} />;
  // Keyed by user: signing in as someone else starts from fresh models.
  return (
    <Suspense fallback={<Loading />}>
      <Workspace key={user.id} session={session} router={router} />
    </Suspense>
  );
}
