/** The admin page: who is signed in, the sections, and the section in view. */
import type { UserView } from "../../../../protocol/index.ts";
import type { Admin } from "../models/admin-model.ts";
import { AdminNav } from "./admin-nav.tsx";
import { AuditSection } from "./audit-section.tsx";
import { CommunitiesSection } from "./communities-section.tsx";
import { OverviewSection } from "./overview-section.tsx";
import { ReauthenticationForm } from "./reauthentication-form.tsx";
import { RegistrationSection } from "./registration-section.tsx";
import { SettingsSection } from "./settings-section.tsx";
import { UserDetailSection } from "./user-detail-section.tsx";
import { UsersSection } from "./users-section.tsx";
import { useFocusOnNavigation } from "./use-focus-on-navigation.ts";

export function AdminApp({ admin, user }: { admin: Admin; user: UserView }) {
  const route = admin.router.route.value;
  const main = useFocusOnNavigation<HTMLElement>(route.section === "users" ? `users/${route.userId}` : route.section);
  return (
    <div class="admin">
      <a class="skip-link" href="#admin-main">
        Skip to the section
      </a>
      <header class="admin-header">
        <p class="admin-brand">Chatalot admin</p>
        <p class="admin-who">
          Signed in as <strong>{user.username}</strong>
        </p>
        <a href="/">Back to chat</a>
        <button type="button" onClick={() => admin.signOut()}>
          Sign out
        </button>
      </header>
      <AdminNav router={admin.router} />
      <main id="admin-main" class="admin-main" ref={main}>
        <ReauthenticationForm reauthentication={admin.reauthentication} hasTwoFactor={user.hasTwoFactor} />
        <CurrentSection admin={admin} />
      </main>
    </div>
  );
}

function CurrentSection({ admin }: { admin: Admin }) {
  const route = admin.router.route.value;
  switch (route.section) {
    case "overview":
      return <OverviewSection key="overview" admin={admin} />;
    case "users":
      return route.userId ? (
        <UserDetailSection key={route.userId} admin={admin} />
      ) : (
        <UsersSection key="users" admin={admin} />
      );
    case "registration":
      return <RegistrationSection key="registration" registration={admin.registration} />;
    case "communities":
      return <CommunitiesSection key="communities" communities={admin.communities} />;
    case "audit":
      return <AuditSection key="audit" admin={admin} />;
    case "settings":
      return <SettingsSection key="settings" admin={admin} />;
  }
}
