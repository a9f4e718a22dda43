/**
 * The sidebar for the selected community, as Discord's: a header with its name (a
 * menu: its overview, creating a channel) and inviting people, then its channels.
 * Its members are in the panel at the right of an open channel (member-list.tsx).
 */
import type { Calls } from "../models/calls/calls.ts";
import type { Community } from "../models/community.ts";
import { communityPath, communitySettingsPath, type Router } from "../models/router.ts";
import type { Unread } from "../models/unread.ts";
import { AppLink } from "./app-link.tsx";
import { ChannelList } from "./channel-list.tsx";
import { CreateChannelForm } from "./create-channel-form.tsx";
import { InviteButton } from "./invite-panel.tsx";
import { NotificationMenuItems } from "./notifications/notification-menu.tsx";
import { sentence } from "./sentence.ts";
import { Icon } from "./shell/icons.tsx";
import { Popover } from "./shell/popover.tsx";

interface CommunityPanelProps {
  community: Community;
  communityId: string;
  unread: Unread;
  router: Router;
  openChannelId: string | null;
  calls?: Calls;
}

export function CommunityPanel(props: CommunityPanelProps) {
  const { community, communityId, router } = props;
  const view = community.community.value;
  const loadError = community.loadError.value;
  if (community.isGone.value) {
    return (
      <section class="sidebar-body" aria-labelledby="channels-heading">
        <h2 id="channels-heading" class="sidebar-header">
          Channels
        </h2>
        <p class="hint sidebar-hint">You are not a member of this community, or it no longer exists.</p>
      </section>
    );
  }
  const name = view?.name ?? "Community";

  return (
    <section class="sidebar-body community-panel" aria-labelledby="community-heading">
      <header class="sidebar-header">
        <h2 id="community-heading">
          <Popover
            label={name}
            button={
              <>
                <span class="sidebar-title">{name}</span>
                <Icon name="chevron" size={16} />
              </>
            }
            buttonClass="community-menu-button"
          >
            {(close) => (
              <ul class="menu" aria-label={`${name} menu`}>
                <li>
                  <AppLink href={communityPath(communityId)} router={router} class="menu-item">
                    Community overview
                  </AppLink>
                </li>
                <li>
                  <AppLink href={communitySettingsPath(communityId)} router={router} class="menu-item">
                    Community settings
                  </AppLink>
                </li>
                <NotificationMenuItems target={{ kind: "community", id: communityId, name }} close={close} />
              </ul>
            )}
          </Popover>
        </h2>
        {community.canCreateInvites.value && <InviteButton community={community} />}
      </header>
      {loadError && (
        <p class="error sidebar-hint" role="alert">
          {sentence(loadError)}
        </p>
      )}
      <ChannelList
        community={community}
        communityId={communityId}
        router={router}
        unread={props.unread}
        openChannelId={props.openChannelId}
        calls={props.calls}
        createChannel={
          community.canManageChannels.value && (
            <Popover
              label="Create a channel"
              title="Create a channel"
              button={<Icon name="plus" size={16} />}
              buttonClass="icon-button is-small"
              placement="end"
            >
              {(close) => (
                <CreateChannelForm community={community} communityId={communityId} router={router} onCreated={close} />
              )}
            </Popover>
          )
        }
      />
    </section>
  );
}
