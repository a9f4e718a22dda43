/**
 * The selected community in the sidebar: its name, inviting people (for those
 * who may), its channels, creating one (for those who may manage channels) and
 * its members.
 */
import type { AccountEvents } from "../models/account-events.ts";
import type { Calls } from "../models/calls/calls.ts";
import type { Community } from "../models/community.ts";
import type { DirectMessages } from "../models/direct-messages.ts";
import type { Router } from "../models/router.ts";
import type { Unread } from "../models/unread.ts";
import { ChannelList } from "./channel-list.tsx";
import { CreateChannelForm } from "./create-channel-form.tsx";
import { InvitePanel } from "./invite-panel.tsx";
import { MemberList } from "./member-list.tsx";
import { sentence } from "./sentence.ts";

interface CommunityPanelProps {
  community: Community;
  communityId: string;
  conversations: DirectMessages;
  events: AccountEvents;
  unread: Unread;
  router: Router;
  ownUserId: string;
  openChannelId: string | null;
  calls?: Calls;
}

export function CommunityPanel(props: CommunityPanelProps) {
  const { community, communityId } = props;
  const view = community.community.value;
  const loadError = community.loadError.value;
  if (community.isGone.value) {
    return (
      <section class="sidebar-section" aria-labelledby="channels-heading">
        <h2 id="channels-heading">Channels</h2>
        <p class="hint">You are not a member of this community, or it no longer exists.</p>
      </section>
    );
  }

  return (
    <section class="sidebar-section community-panel" aria-labelledby="community-heading">
      <h2 id="community-heading">{view?.name ?? "Community"}</h2>
      {loadError && (
        <p class="error" role="alert">
          {sentence(loadError)}
        </p>
      )}
      {community.canCreateInvites.value && <InvitePanel community={community} />}
      <ChannelList
        community={community}
        communityId={communityId}
        router={props.router}
        unread={props.unread}
        openChannelId={props.openChannelId}
        calls={props.calls}
      />
      {community.canManageChannels.value && (
        <details class="sidebar-form">
          <summary>Create a channel</summary>
          <CreateChannelForm community={community} communityId={communityId} router={props.router} />
        </details>
      )}
      <MemberList
        community={community}
        conversations={props.conversations}
        events={props.events}
        router={props.router}
        ownUserId={props.ownUserId}
      />
    </section>
  );
}
