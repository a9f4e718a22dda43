/**
 * A community's settings, like Discord's server settings and the person's own settings
 * (settings/settings-page.tsx): a menu headed with the community's name, offering only
 * the sections the person may use, beside the open one, at
 * /communities/<id>/settings/<section>. Moving between sections replaces the history
 * entry, so closing (✕ or Esc) returns to where the person was. On a phone the menu sits
 * above the section. A section opened by address without the permission says so.
 */
import { useModel } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { AccountEvents } from "../../models/account-events.ts";
import type { Communities } from "../../models/communities.ts";
import type { Community } from "../../models/community.ts";
import { CommunitySettingsModel, type CommunitySettings } from "../../models/community-settings.ts";
import type { DirectMessages } from "../../models/direct-messages.ts";
import {
  communityPath,
  communitySettingsPath,
  COMMUNITY_SETTINGS_SECTIONS,
  type CommunitySettingsSection,
  type Router,
} from "../../models/router.ts";
import type { Session } from "../../models/session.ts";
import { previousPlace } from "../settings/close-settings.ts";
import { AuditLogSection } from "./audit-log-section.tsx";
import { BansSection } from "./bans-section.tsx";
import { InvitesSection } from "./invites-section.tsx";
import { MembersSection } from "./members-section.tsx";
import { OverviewSection } from "./overview-section.tsx";
import { RolesSection } from "./roles-section.tsx";
import "../settings/settings.css";
import "./community-settings.css";

export interface CommunitySettingsProps {
  session: Session;
  router: Router;
  communities: Communities;
  community: Community;
  communityId: string;
  events: AccountEvents;
  conversations: DirectMessages;
}

/** What the overview, invites and audit log sections are handed besides the shared props. */
export interface OwnSectionProps extends CommunitySettingsProps {
  settings: CommunitySettings;
}

export const SECTION_TITLES: Record<CommunitySettingsSection, string> = {
  overview: "Overview",
  roles: "Roles",
  members: "Members",
  invites: "Invites",
  bans: "Bans",
  "audit-log": "Audit log",
};

/** Back to where the person was before the settings, else to the community. */
function closeCommunitySettings(router: Router, communityId: string): void {
  const previous = previousPlace();
  const settingsRoot = `${communityPath(communityId)}/settings/`;
  if (previous && previous.origin === location.origin && !previous.pathname.startsWith(settingsRoot)) history.back();
  else router.navigate(communityPath(communityId));
}

export function CommunitySettingsPage(props: CommunitySettingsProps & { section: CommunitySettingsSection }) {
  const { router, community, communityId, section } = props;
  const settings = useModel(
    () => new CommunitySettingsModel(props.session, props.router, props.communities, props.community),
  );
  const heading = useRef<HTMLHeadingElement>(null);
  // Focus follows the section: a screen reader hears its name, the keyboard starts there.
  useEffect(() => heading.current?.focus({ preventScroll: true }), [section]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      // A dialog or confirmation inside a section closes first.
      if (
        (event.target as Element | null)?.closest?.("dialog, [role=dialog], [aria-modal=true], [data-closes-on-escape]")
      )
        return;
      closeCommunitySettings(router, communityId);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [router, communityId]);

  const view = community.community.value;
  const name = view?.name ?? "Community";
  const open = (event: MouseEvent, next: CommunitySettingsSection) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    router.replace(communitySettingsPath(communityId, next));
  };
  const sections = COMMUNITY_SETTINGS_SECTIONS.filter((each) => settings.canSee(each));

  return (
    <div class="settings-area community-settings">
      <nav class="settings-menu" aria-label={`${name} settings`}>
        <div class="settings-menu-inner">
          <p class="settings-menu-heading" title={name}>
            {name}
          </p>
          <ul>
            {sections.map((each) => (
              <li key={each}>
                <a
                  href={communitySettingsPath(communityId, each)}
                  class="settings-menu-item"
                  aria-current={each === section ? "page" : undefined}
                  onClick={(event) => open(event, each)}
                >
                  {SECTION_TITLES[each]}
                </a>
              </li>
            ))}
          </ul>
        </div>
      </nav>
      <main class="settings-content" aria-labelledby="community-settings-heading">
        <div class="settings-column">
          <header class="settings-header">
            <h1 id="community-settings-heading" ref={heading} tabIndex={-1}>
              {SECTION_TITLES[section]}
            </h1>
            <button type="button" class="settings-close" onClick={() => closeCommunitySettings(router, communityId)}>
              <span class="settings-close-icon" aria-hidden="true">
                <svg viewBox="0 0 16 16" width="14" height="14" focusable="false">
                  <path d="M3 3l10 10M13 3L3 13" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
                </svg>
              </span>
              <span class="visually-hidden">Close community settings</span>
              <span class="settings-close-key">Esc</span>
            </button>
          </header>
          <SectionView {...props} settings={settings} />
        </div>
      </main>
    </div>
  );
}

const REFUSALS: Record<CommunitySettingsSection, string> = {
  overview: "",
  roles: "Only those who may manage roles can change this community's roles.",
  members: "Only those who may manage roles can manage this community's members.",
  invites: "Only those who may create invites can make this community's invite links.",
  bans: "Only those who may ban members can see this community's bans.",
  "audit-log": "Only those who may manage the community can read its audit log.",
};

function SectionView(props: OwnSectionProps & { section: CommunitySettingsSection }) {
  const { community, section, settings } = props;
  if (community.isGone.value) {
    return <p class="placeholder">You are not a member of this community, or it no longer exists.</p>;
  }
  if (community.isLoading.value && !community.community.value) return <p class="hint">Loading the community…</p>;
  if (!settings.canSee(section)) return <p class="placeholder">{REFUSALS[section]}</p>;
  switch (section) {
    case "overview":
      return <OverviewSection {...props} />;
    case "roles":
      return <RolesSection {...props} />;
    case "members":
      return <MembersSection {...props} />;
    case "invites":
      return <InvitesSection {...props} />;
    case "bans":
      return <BansSection {...props} />;
    case "audit-log":
      return <AuditLogSection {...props} />;
  }
}
