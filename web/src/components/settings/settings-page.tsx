/**
 * The settings area: a menu of sections beside the open one (profile, appearance,
 * notifications, encryption, security), reached from the user panel's gear and at
 * /settings/<section>. CONTRACT STUB: the settings helper replaces this body.
 */
import type { AccountEvents } from "../../models/account-events.ts";
import type { Encryption } from "../../models/encryption/encryption.ts";
import type { Router, SettingsSection } from "../../models/router.ts";
import type { Session } from "../../models/session.ts";
import { SecurityPage } from "../security-page.tsx";

export interface SettingsPageProps {
  session: Session;
  router: Router;
  section: SettingsSection;
  encryption: Encryption;
  events: AccountEvents;
}

export function SettingsPage({ session }: SettingsPageProps) {
  return <SecurityPage session={session} />;
}
