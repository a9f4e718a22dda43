/**
 * The header on every signed-in page: home, security settings, the user's status,
 * who they are, sign out (forgetting this browser's encryption keys unless the person
 * says otherwise); and below it the admins' announcements.
 */
import type { AccountEvents } from "../models/account-events.ts";
import { SECURITY_PATH, type Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import { AnnouncementsBanner } from "./announcements-banner.tsx";
import { AppLink } from "./app-link.tsx";
import { Avatar } from "./avatar.tsx";
import { SignOutButton } from "./sign-out-button.tsx";
import { StatusPicker } from "./status-picker.tsx";

export function Topbar({ session, router, events }: { session: Session; router: Router; events: AccountEvents }) {
  const route = router.route.value;
  const userId = session.user.value?.id ?? "";
  return (
    <div class="topbar-area">
      <header class="topbar">
        <AppLink href="/" router={router} class="brand">
          Chatalot
        </AppLink>
        <nav class="topbar-nav" aria-label="Account">
          <AppLink href={SECURITY_PATH} router={router} isCurrent={route.name === "settings"}>
            Security
          </AppLink>
        </nav>
        <span class="whoami">
          {session.user.value && (
            <Avatar
              name={session.user.value.username}
              id={userId}
              url={session.user.value.avatarUrl}
              size="small"
              isDecorative
            />
          )}
          <span>
            Signed in as <strong>{session.user.value?.username}</strong>
          </span>
        </span>
        <StatusPicker events={events} />
        <SignOutButton session={session} />
      </header>
      <AnnouncementsBanner session={session} />
    </div>
  );
}
