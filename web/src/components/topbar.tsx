/**
 * The header on every signed-in page: home, security settings, the user's status,
 * who they are, sign out; and below it the admins' announcements.
 */
import type { AccountEvents } from "../models/account-events.ts";
import { SECURITY_PATH, type Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import { AnnouncementsBanner } from "./announcements-banner.tsx";
import { AppLink } from "./app-link.tsx";
import { StatusPicker } from "./status-picker.tsx";

export function Topbar({ session, router, events }: { session: Session; router: Router; events: AccountEvents }) {
  const route = router.route.value;
  return (
    <div class="topbar-area">
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
        <StatusPicker events={events} />
        <button type="button" onClick={() => void session.signOut()} disabled={session.isSigningOut.value}>
          Sign out
        </button>
      </header>
      <AnnouncementsBanner session={session} />
    </div>
  );
}
