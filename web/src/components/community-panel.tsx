/**
 * The sidebar for the selected community, as Discord's: a header with its name (a
 * menu: its overview and settings, inviting people, creating a channel, notifications,
 * leaving) and inviting people, then its channels. Its members are in the panel at the
 * right of an open channel (member-list.tsx).
 */
import { useSignal } from "@preact/signals";
import type { Calls } from "../models/calls/calls.ts";
import type { Community } from "../models/community.ts";
import { communityPath, communitySettingsPath, type Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import type { Unread } from "../models/unread.ts";
import { AppLink } from "./app-link.tsx";
import { ChannelList } from "./channel-list.tsx";
import { CreateChannelForm } from "./create-channel-form.tsx";
import { FormError } from "./form-error.tsx";
import { InviteButton } from "./invite-panel.tsx";
import { NotificationMenuItems } from "./notifications/notification-menu.tsx";
import { sentence } from "./sentence.ts";
import { Icon } from "./shell/icons.tsx";
import { Popover } from "./shell/popover.tsx";
import { useFocusOnMount } from "./use-focus-on-mount.ts";
import "./community-panel.css";

interface CommunityPanelProps {
  /** For managing channels from the list (issue #24, channel-list.tsx). */
  session: Session;
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
            {(close) => <CommunityMenu {...props} name={name} close={close} />}
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
        session={props.session}
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
                <CreateChannelForm
                  session={props.session}
                  community={community}
                  communityId={communityId}
                  router={router}
                  onCreated={close}
                />
              )}
            </Popover>
          )
        }
      />
    </section>
  );
}

type MenuView = "menu" | "create-channel" | "leave";

/** The header menu; "Create channel" and "Leave community" open their form in its place. */
function CommunityMenu(props: CommunityPanelProps & { name: string; close: () => void }) {
  const { community, communityId, router, name, close } = props;
  const view = useSignal<MenuView>("menu");
  const ownerId = community.community.value?.ownerId;
  const isOwner = !!ownerId && community.me.value?.userId === ownerId;
  if (view.value === "create-channel") {
    return (
      <CreateChannelForm
        session={props.session}
        community={community}
        communityId={communityId}
        router={router}
        onCreated={close}
      />
    );
  }
  if (view.value === "leave") {
    return (
      <LeaveConfirmation
        community={community}
        name={name}
        onLeft={() => {
          close();
          router.replace("/");
        }}
        onCancel={() => (view.value = "menu")}
      />
    );
  }
  return (
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
      {community.canCreateInvites.value && (
        <li>
          <AppLink href={communitySettingsPath(communityId, "invites")} router={router} class="menu-item">
            Invite people
          </AppLink>
        </li>
      )}
      {community.canManageChannels.value && (
        <li>
          <button type="button" class="menu-item" onClick={() => (view.value = "create-channel")}>
            Create channel
          </button>
        </li>
      )}
      <NotificationMenuItems target={{ kind: "community", id: communityId, name }} close={close} />
      {!isOwner && community.me.value && (
        <li>
          <button type="button" class="menu-item is-danger" onClick={() => (view.value = "leave")}>
            Leave community
          </button>
        </li>
      )}
    </ul>
  );
}

function LeaveConfirmation(props: { community: Community; name: string; onLeft(): void; onCancel(): void }) {
  const confirm = useFocusOnMount<HTMLButtonElement>();
  const { leaving } = props.community;
  return (
    <div class="stack leave-confirmation">
      <p>Leave {props.name}? You will need a new invite to come back.</p>
      <FormError id="leave-error" error={leaving.error.value} />
      <div class="button-row">
        <button
          type="button"
          class="danger"
          ref={confirm}
          disabled={leaving.isBusy.value}
          onClick={() => void props.community.leave().then((isLeft) => isLeft && props.onLeft())}
        >
          Leave {props.name}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
