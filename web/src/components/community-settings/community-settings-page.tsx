/**
 * A community's settings, like Discord's server settings: a menu of sections beside the
 * open one, at /communities/<id>/settings/<section>. (Stub: issue #24 fills it.)
 */
import type { AccountEvents } from "../../models/account-events.ts";
import type { Communities } from "../../models/communities.ts";
import type { Community } from "../../models/community.ts";
import type { DirectMessages } from "../../models/direct-messages.ts";
import type { CommunitySettingsSection, Router } from "../../models/router.ts";
import type { Session } from "../../models/session.ts";
import { AuditLogSection } from "./audit-log-section.tsx";
import { BansSection } from "./bans-section.tsx";
import { InvitesSection } from "./invites-section.tsx";
import { MembersSection } from "./members-section.tsx";
import { OverviewSection } from "./overview-section.tsx";
import { RolesSection } from "./roles-section.tsx";

export interface CommunitySettingsProps {
  session: Session;
  router: Router;
  communities: Communities;
  community: Community;
  communityId: string;
  events: AccountEvents;
  conversations: DirectMessages;
}

export function CommunitySettingsPage(props: CommunitySettingsProps & { section: CommunitySettingsSection }) {
  return (
    <div class="settings-area">
      <main class="settings-content">
        <CommunitySettingsSectionView {...props} />
      </main>
    </div>
  );
}

function CommunitySettingsSectionView(props: CommunitySettingsProps & { section: CommunitySettingsSection }) {
  switch (props.section) {
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
