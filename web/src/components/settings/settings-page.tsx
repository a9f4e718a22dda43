/**
 * The settings area, like Discord's user settings: a menu of sections beside the open
 * one (profile, appearance, notifications, encryption, security), reached from the user
 * panel's gear and at /settings/<section>; on a phone the menu sits above the section.
 * Moving between sections replaces the history entry, so closing (the ✕ button or Esc)
 * returns to where the person was before opening the settings. Signing out sits at the
 * menu's foot, as Discord's "Log Out".
 */
import { useEffect, useRef } from "preact/hooks";
import type { AccountEvents } from "../../models/account-events.ts";
import type { Encryption } from "../../models/encryption/encryption.ts";
import type { SearchEngine } from "../../models/search/search-types.ts";
import { settingsPath, SETTINGS_SECTIONS, type Router, type SettingsSection } from "../../models/router.ts";
import type { Session } from "../../models/session.ts";
import { recoveryKeyStep } from "../../models/encryption/onboarding.ts";
import { EncryptionBanner } from "../encryption-banner.tsx";
import { SecurityPage } from "../security-page.tsx";
import { SignOutButton } from "../sign-out-button.tsx";
import { AppearanceSection } from "./appearance-section.tsx";
import { EncryptionSection } from "./encryption-section.tsx";
import { NotificationsSection } from "./notifications-section.tsx";
import { PrivacySection } from "./privacy-section.tsx";
import { ProfileSection } from "./profile-section.tsx";
import { closeSettings } from "./close-settings.ts";
import "./settings.css";

export interface SettingsPageProps {
  session: Session;
  router: Router;
  section: SettingsSection;
  encryption: Encryption;
  events: AccountEvents;
  /** The device's search index, which Settings > Encryption turns off or clears. */
  searchEngine: SearchEngine;
}

const TITLES: Record<SettingsSection, string> = {
  profile: "Profile",
  appearance: "Appearance",
  notifications: "Notifications",
  privacy: "Privacy & safety",
  encryption: "Encryption",
  security: "Security",
};

export function SettingsPage({ session, router, section, encryption, searchEngine }: SettingsPageProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Focus follows the section: a screen reader hears its name, the keyboard starts there.
  useEffect(() => heading.current?.focus({ preventScroll: true }), [section]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      // A dialog or picker inside a section closes first.
      if ((event.target as Element | null)?.closest?.("dialog, [role=dialog], [aria-modal=true]")) return;
      closeSettings(router);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [router]);

  const open = (event: MouseEvent, next: SettingsSection) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    router.replace(settingsPath(next));
  };

  return (
    <div class="settings-area">
      <nav class="settings-menu" aria-label="Settings">
        <div class="settings-menu-inner">
          <p class="settings-menu-heading" aria-hidden="true">
            User settings
          </p>
          <ul>
            {SETTINGS_SECTIONS.map((name) => (
              <li key={name}>
                <a
                  href={settingsPath(name)}
                  class="settings-menu-item"
                  aria-current={name === section ? "page" : undefined}
                  onClick={(event) => open(event, name)}
                >
                  {TITLES[name]}
                </a>
              </li>
            ))}
          </ul>
          <div class="settings-menu-sign-out">
            <SignOutButton session={session} />
          </div>
        </div>
      </nav>
      <main class="settings-content" aria-labelledby="settings-heading">
        <div class="settings-column">
          <header class="settings-header">
            <h1 id="settings-heading" ref={heading} tabIndex={-1}>
              {TITLES[section]}
            </h1>
            <button type="button" class="settings-close" onClick={() => closeSettings(router)}>
              <span class="settings-close-icon" aria-hidden="true">
                <svg viewBox="0 0 16 16" width="14" height="14" focusable="false">
                  <path d="M3 3l10 10M13 3L3 13" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
                </svg>
              </span>
              <span class="visually-hidden">Close settings</span>
              <span class="settings-close-key">Esc</span>
            </button>
          </header>
          {/* Asked for from any section: by signing out with keys held only here, for one. */}
          {recoveryKeyStep.value && <EncryptionBanner encryption={encryption} />}
          <Section section={section} session={session} encryption={encryption} searchEngine={searchEngine} />
        </div>
      </main>
    </div>
  );
}

function Section({
  section,
  session,
  encryption,
  searchEngine,
}: {
  section: SettingsSection;
  session: Session;
  encryption: Encryption;
  searchEngine: SearchEngine;
}) {
  switch (section) {
    case "profile":
      return <ProfileSection session={session} />;
    case "appearance":
      return <AppearanceSection />;
    case "notifications":
      return <NotificationsSection />;
    case "privacy":
      return <PrivacySection session={session} />;
    case "encryption":
      return <EncryptionSection session={session} encryption={encryption} searchEngine={searchEngine} />;
    case "security":
      return <SecurityPage session={session} />;
  }
}
