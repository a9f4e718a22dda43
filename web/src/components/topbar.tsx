/** The header on every signed-in page: home, security settings, who you are, sign out. */
import { SECURITY_PATH, type Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import { AppLink } from "./app-link.tsx";

export function Topbar({ session, router }: { session: Session; router: Router }) {
  const route = router.route.value;
  return (
    <header class="topbar">
      <AppLink href="/" router={router} class="brand">
        Chatalot
      </AppLink>
      <nav class="topbar-nav" aria-label="Account">
        <AppLink href={SECURITY_PATH} router={router} isCurrent={route.name === "security"}>
          Security
        </AppLink>
      </nav>
      <span class="whoami">
        Signed in as <strong>{session.user.value?.username}</strong>
      </span>
      <button type="button" onClick={() => void session.signOut()} disabled={session.isSigningOut.value}>
        Sign out
      </button>
    </header>
  );
}
