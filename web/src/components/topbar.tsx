/**
 * The header on every signed-in page: home, security settings, the user's status,
 * who they are, sign out (forgetting this browser's encryption keys unless the person
 * says otherwise); and below it the admins' announcements.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { AccountEvents } from "../models/account-events.ts";
import { forgetBrowserKeys, holdsOnlyCopy } from "../models/encryption/device-store.ts";
import { SECURITY_PATH, type Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import { AnnouncementsBanner } from "./announcements-banner.tsx";
import { AppLink } from "./app-link.tsx";
import { Avatar } from "./avatar.tsx";
import { StatusPicker } from "./status-picker.tsx";

export function Topbar({ session, router, events }: { session: Session; router: Router; events: AccountEvents }) {
  const route = router.route.value;
  const userId = session.user.value?.id ?? "";
  /** Forget the keys at sign-out: on, unless this browser holds the account's key with no backup set up here. */
  const forgetsKeys = useSignal(true);
  const isOnlyCopy = useSignal(false);
  useEffect(() => {
    void holdsOnlyCopy(userId).then((only) => {
      isOnlyCopy.value = only;
      forgetsKeys.value = !only;
    });
  }, [userId]);
  const signOut = async () => {
    const deviceId = session.sessionId.peek();
    if (forgetsKeys.peek() && deviceId) await forgetBrowserKeys(userId, deviceId);
    await session.signOut();
  };
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
        <label
          class="checkbox forget-keys"
          title={
            isOnlyCopy.value
              ? "This browser holds your only copy of your encryption key: set up recovery first, or you will have to start over"
              : "Someone using this browser after you cannot read your messages; your next sign-in here asks for your recovery key"
          }
        >
          <input
            type="checkbox"
            checked={forgetsKeys.value}
            onChange={(event) => (forgetsKeys.value = event.currentTarget.checked)}
          />{" "}
          {isOnlyCopy.value ? "Forget keys (no backup!)" : "Forget keys here"}
        </label>
        <button type="button" onClick={() => void signOut()} disabled={session.isSigningOut.value}>
          Sign out
        </button>
      </header>
      <AnnouncementsBanner session={session} />
    </div>
  );
}
