/**
 * A channel's settings, like Discord's: its overview (name, topic, category, slow mode,
 * read-only, archive, newcomer history, delete) and its permission overrides, at
 * /communities/<id>/channels/<id>/settings/<section>. (Stub: issue #24 fills it.)
 */
import type { AccountEvents } from "../../models/account-events.ts";
import type { Community } from "../../models/community.ts";
import type { ChannelSettingsSection, Router } from "../../models/router.ts";
import type { Session } from "../../models/session.ts";
import { ChannelPermissionsEditor } from "../permissions/channel-permissions-editor.tsx";

export interface ChannelSettingsProps {
  session: Session;
  router: Router;
  community: Community;
  communityId: string;
  channelId: string;
  events: AccountEvents;
}

export function ChannelSettingsPage(props: ChannelSettingsProps & { section: ChannelSettingsSection }) {
  return (
    <div class="settings-area">
      <main class="settings-content">
        {props.section === "permissions" ? <ChannelPermissionsEditor {...props} /> : null}
      </main>
    </div>
  );
}
