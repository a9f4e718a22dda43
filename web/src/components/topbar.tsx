/**
 * The user panel at the bottom of the sidebar, like Discord's bottom-left one: the
 * person's avatar with their presence, their name and status (chosen here), a gear
 * to their settings, and a menu with security, the admin page (for instance admins)
 * and signing out.
 */
import type { AccountEvents } from "../models/account-events.ts";
import { SECURITY_PATH, settingsPath, type Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import { AppLink } from "./app-link.tsx";
import { Avatar } from "./avatar.tsx";
import { PersonName } from "./people/person-name.tsx";
import { PresenceDot } from "./presence-dot.tsx";
import { Icon } from "./shell/icons.tsx";
import { Popover } from "./shell/popover.tsx";
import { SignOutButton } from "./sign-out-button.tsx";
import { StatusPicker } from "./status-picker.tsx";

export function UserPanel({ session, router, events }: { session: Session; router: Router; events: AccountEvents }) {
  const user = session.user.value;
  if (!user) return null;
  const status = events.status.value;
  const shown = events.isConnected.value ? (status === "invisible" ? "offline" : status) : "offline";
  return (
    <section class="user-panel" aria-label="Your account">
      <span class="whoami">
        <span class="avatar-with-status">
          <Avatar name={user.username} id={user.id} url={user.avatarUrl} size="medium" isDecorative />
          <PresenceDot status={shown} isDescribedElsewhere />
        </span>
        <span class="user-names">
          <strong class="user-name">
            <PersonName userId={user.id} fallback={user.username} />
          </strong>
          {user.customStatus && (
            <span class="custom-status" title={user.customStatus.text}>
              {user.customStatus.emoji ? `${user.customStatus.emoji} ` : ""}
              {user.customStatus.text}
            </span>
          )}
          <StatusPicker events={events} />
        </span>
      </span>
      <AppLink href={settingsPath("profile")} router={router} class="icon-button" isCurrent={false}>
        <Icon name="gear" />
        <span class="visually-hidden">User settings</span>
      </AppLink>
      <Popover
        label="Account menu"
        title="Account menu"
        button={<Icon name="more" />}
        buttonClass="icon-button"
        placement="above"
      >
        {() => (
          <div class="account-menu">
            <ul class="menu" aria-label="Account">
              <li>
                <AppLink href={SECURITY_PATH} router={router} class="menu-item">
                  Security
                </AppLink>
              </li>
              {user.isAdmin && (
                <li>
                  <a href="/admin" class="menu-item">
                    Admin
                  </a>
                </li>
              )}
            </ul>
            <div class="sign-out">
              <SignOutButton session={session} />
            </div>
          </div>
        )}
      </Popover>
    </section>
  );
}
