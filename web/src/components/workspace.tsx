/**
 * The signed-in layout, as Discord's: the rail of communities at the far left; the
 * sidebar with the selected community's channels (or the direct conversations at
 * home) over the user panel; the open channel, conversation or invite; and a
 * community channel's member list at the right. The settings area takes the page
 * instead. The account socket (presence, unread news, changed lists) lives as long
 * as the signed-in page, whichever of these shows.
 */
import { useModel } from "@preact/signals";
import { AccountEventsModel, type AccountEvents } from "../models/account-events.ts";
import { CallRecordsModel, type CallRecords } from "../models/calls/call-records.ts";
import { CallsModel, type Calls } from "../models/calls/calls.ts";
import { IncomingCallsModel, type IncomingCalls } from "../models/calls/incoming-calls.ts";
import { CommunitiesModel, type Communities } from "../models/communities.ts";
import { CommunityModel, type Community } from "../models/community.ts";
import { DirectMessagesModel, type DirectMessages } from "../models/direct-messages.ts";
import { EncryptionModel, type Encryption } from "../models/encryption/encryption.ts";
import { communityPath, type Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import { UnreadModel, type Unread } from "../models/unread.ts";
import { NotificationSettingsModel } from "../models/notifications/notification-settings.ts";
import { NotificationsModel, type Notifications } from "../models/notifications/notifications.ts";
import { ChatView } from "./chat-view.tsx";
import { CommunityHome } from "./community-home.tsx";
import { CommunityList } from "./community-list.tsx";
import { CommunityPanel } from "./community-panel.tsx";
import { EncryptionBanner } from "./encryption-banner.tsx";
import { ConversationList } from "./conversation-list.tsx";
import { CreateCommunityForm } from "./create-community-form.tsx";
import { JoinCommunityForm } from "./join-community-form.tsx";
import { MemberList } from "./member-list.tsx";
import { CommunityWelcome } from "./shell/community-welcome.tsx";
import { useLaunchPlace } from "./shell/launch-place.ts";
import { useOpenNewCommunity } from "./shell/new-community.ts";
import { isMemberListShown, toggleMemberList } from "./shell/member-list-toggle.ts";
import "./shell/shell.css";
import { sentence } from "./sentence.ts";
import { UserPanel } from "./topbar.tsx";
import { JoinView } from "./join-view.tsx";
import { KeyboardLayer } from "./keyboard/keyboard-layer.tsx";
import { SettingsPage } from "./settings/settings-page.tsx";
import { VoiceChannelView } from "./calls/voice-channel-view.tsx";
import { VoiceConnectedBar } from "./calls/voice-connected-bar.tsx";
import { WorkspaceTop } from "./shell/workspace-top.tsx";
import { CommunitySettingsPage } from "./community-settings/community-settings-page.tsx";
import { ChannelSettingsPage } from "./channel-settings/channel-settings-page.tsx";
import { ProfileCardLayer } from "./people/profile-card.tsx";
import { SearchResults } from "./search/search-results.tsx";
import { useSearch } from "./search/use-search.ts";
import type { SearchView } from "../models/search/search-view.ts";

interface WorkspaceProps {
  session: Session;
  router: Router;
}

interface LayoutProps extends WorkspaceProps {
  communities: Communities;
  conversations: DirectMessages;
  events: AccountEvents;
  unread: Unread;
  encryption: Encryption;
  calls: Calls;
  incomingCalls: IncomingCalls;
  callRecords: CallRecords;
  notifications: Notifications;
  search: SearchView;
}

export function Workspace({ session, router }: WorkspaceProps) {
  const events = useModel(() => new AccountEventsModel(session));
  // Notifications (issue #23): mutes make badges quiet; the model drives the tab, desktop and push.
  const notificationSettings = useModel(() => new NotificationSettingsModel(session, events));
  const unread = useModel(() => new UnreadModel(session, events, router, notificationSettings.isMuted));
  const communities = useModel(() => new CommunitiesModel(session, router, events));
  const conversations = useModel(() => new DirectMessagesModel(session, events));
  const encryption = useModel(() => new EncryptionModel(session, events));
  const calls = useModel(() => new CallsModel(session, events, encryption));
  // DM calls: the ringing bar (on every page, settings too) and the records the caller posts.
  const incomingCalls = useModel(() => new IncomingCallsModel(session, calls, conversations, router));
  const callRecords = useModel(() => new CallRecordsModel(session, encryption, calls));
  const notifications = useModel(
    () =>
      new NotificationsModel({
        session,
        events,
        settings: notificationSettings,
        unread,
        router,
        encryption,
        communityName: (id) => communities.communities.peek().find((community) => community.id === id)?.name ?? null,
      }),
  );
  // Search (issue #26): the device's index fills in the background; the box and panel keep their query across channels.
  const search = useSearch({ session, events, encryption, router, communities, conversations });
  useLaunchPlace(session.user.value?.id ?? "", router, communities);
  const route = router.route.value;
  if (route.name === "settings") {
    return (
      <div class="workspace is-settings">
        <WorkspaceTop {...{ session, router, incomingCalls, notifications, conversations }} community={null} />
        <SettingsPage
          session={session}
          router={router}
          section={route.section}
          encryption={encryption}
          events={events}
          searchEngine={search.engine}
        />
      </div>
    );
  }
  const communityId = communities.selectedId.value;
  const props = {
    session,
    router,
    communities,
    conversations,
    events,
    unread,
    encryption,
    calls,
    incomingCalls,
    callRecords,
    notifications,
    search: search.view,
  };
  // Keyed by community: switching communities starts from a fresh model.
  return communityId ? (
    <CommunityWorkspace key={communityId} communityId={communityId} {...props} />
  ) : (
    <WorkspaceLayout community={null} communityId={null} {...props} />
  );
}

function CommunityWorkspace(props: LayoutProps & { communityId: string }) {
  const community = useModel(() => new CommunityModel(props.communityId, props.session, props.events));
  return <WorkspaceLayout community={community} {...props} />;
}

function WorkspaceLayout(props: LayoutProps & { community: Community | null; communityId: string | null }) {
  const { session, router, communities, conversations, events, unread, community, communityId } = props;
  const route = router.route.value;
  const ownUserId = session.user.value?.id ?? "";
  const openChannelId = route.name === "channel" || route.name === "dm" ? route.channelId : null;
  const isHome = route.name !== "community" && route.name !== "channel";
  useOpenNewCommunity(community, communityId, router);
  if ((route.name === "community-settings" || route.name === "channel-settings") && community && communityId) {
    // A community's or a channel's settings take the page, as the person's own settings do.
    return (
      <div class="workspace is-settings">
        <WorkspaceTop {...props} />
        {route.name === "community-settings" ? (
          <CommunitySettingsPage
            session={session}
            router={router}
            communities={communities}
            community={community}
            communityId={communityId}
            events={events}
            conversations={conversations}
            section={route.section}
          />
        ) : (
          <ChannelSettingsPage
            key={route.channelId}
            session={session}
            router={router}
            community={community}
            communityId={communityId}
            channelId={route.channelId}
            events={events}
            section={route.section}
          />
        )}
        <ProfileCardLayer
          session={session}
          router={router}
          communities={communities}
          community={community}
          conversations={conversations}
          events={events}
        />
      </div>
    );
  }
  const hasNothing = communities.communities.value.length === 0 && !communities.isLoading.value;
  // On a phone one pane shows at a time: these routes are about the main pane, not the lists.
  const isPaneOpen =
    route.name === "channel" || route.name === "dm" || route.name === "join" || (route.name === "home" && hasNothing);
  const showsMembers = route.name === "channel" && !!community && isMemberListShown.value;
  const showsSearch = props.search.isOpen.value && isPaneOpen;
  const classes = [
    "workspace",
    isPaneOpen && "has-open-channel",
    showsMembers && "shows-members",
    showsSearch && "shows-search",
  ];

  return (
    <div class={classes.filter(Boolean).join(" ")}>
      <WorkspaceTop {...props} />
      <CommunityList communities={communities} router={router} unread={unread} isHome={isHome} />
      <div class="sidebar">
        {unread.loadError.value && <p class="hint sidebar-hint">{sentence(unread.loadError.value)}</p>}
        {isHome ? (
          <ConversationList
            session={session}
            encryption={props.encryption}
            conversations={conversations}
            router={router}
            events={events}
            unread={unread}
            ownUserId={ownUserId}
            openChannelId={openChannelId}
          />
        ) : hasNothing ? (
          <section class="sidebar-body" aria-labelledby="channels-heading">
            <h2 id="channels-heading" class="sidebar-header">
              Channels
            </h2>
            <p class="hint sidebar-hint">
              You are not in a community yet: create one, or join one with an invite link (the buttons at the left).
            </p>
          </section>
        ) : community && communityId ? (
          <CommunityPanel
            session={session}
            community={community}
            communityId={communityId}
            unread={unread}
            router={router}
            openChannelId={openChannelId}
            calls={props.calls}
          />
        ) : null}
        <VoiceConnectedBar calls={props.calls} router={router} />
        <UserPanel session={session} router={router} events={events} />
      </div>
      <KeyboardLayer
        session={session}
        router={router}
        communities={communities}
        community={community}
        conversations={conversations}
        unread={unread}
      />
      <main class="main">
        <EncryptionBanner encryption={props.encryption} />
        <MainPane {...props} />
      </main>
      <ProfileCardLayer
        session={session}
        router={router}
        communities={communities}
        community={community}
        conversations={conversations}
        events={events}
      />
      {showsMembers && community && (
        <aside class="member-aside" aria-label="Member list">
          <MemberList
            session={session}
            community={community}
            conversations={conversations}
            events={events}
            router={router}
            ownUserId={ownUserId}
          />
        </aside>
      )}
      {showsSearch && <SearchResults search={props.search} />}
    </div>
  );
}

function MainPane(props: LayoutProps & { community: Community | null; communityId: string | null }) {
  const { session, router, communities, conversations, community, encryption } = props;
  const route = router.route.value;
  /** Whatever the socket learned about access, the lists around the channel may be out of date. */
  const onAccessChanged = () => {
    void community?.load();
    void communities.load();
    void conversations.load();
  };

  switch (route.name) {
    case "join":
      return <JoinView communities={communities} router={router} session={session} code={route.code} />;
    case "channel": {
      const known = community?.channels.value.find((channel) => channel.id === route.channelId) ?? null;
      const back = { href: communityPath(route.communityId), label: "Channels" };
      const chat = {
        channelId: route.channelId,
        session,
        encryption,
        router,
        known,
        back,
        timedOutUntil: community?.me.value?.timedOutUntil ?? null,
        people: () => community?.members.peek() ?? [],
        onAccessChanged,
        members: community ? { isShown: isMemberListShown.value, toggle: toggleMemberList } : undefined,
        welcome: community ? <CommunityWelcome community={community} /> : undefined,
        search: props.search,
      };
      if (known?.kind === "voice") {
        const nameOf = (userId: string) =>
          community?.members.value.find((member) => member.userId === userId)?.username ?? "someone";
        return (
          <VoiceChannelView
            key={route.channelId}
            channel={known}
            calls={props.calls}
            router={router}
            back={back}
            nameOf={nameOf}
            chat={chat}
          />
        );
      }
      // The key goes apart: inside a spread, Preact's JSX runtime passes it as a prop, not a key.
      return <ChatView key={route.channelId} {...chat} />;
    }
    case "dm": {
      const known = conversations.conversations.value.find((channel) => channel.id === route.channelId) ?? null;
      return (
        <ChatView
          key={route.channelId}
          channelId={route.channelId}
          session={session}
          encryption={encryption}
          router={router}
          known={known}
          back={{ href: "/", label: "Conversations" }}
          timedOutUntil={null}
          onAccessChanged={onAccessChanged}
          dmCalls={{ calls: props.calls, records: props.callRecords }}
          search={props.search}
        />
      );
    }
    case "community":
      return (
        <CommunityHome
          community={community}
          router={router}
          session={session}
          onChange={() => void communities.load()}
        />
      );
    default:
      return communities.communities.value.length > 0 || communities.isLoading.value ? (
        <p class="placeholder">Choose a conversation, or a community at the left.</p>
      ) : (
        <FirstSteps {...props} />
      );
  }
}

/** Home for someone in no community yet: what Chatalot is for, and the two ways in. */
function FirstSteps({ communities, router }: LayoutProps) {
  return (
    <section class="pane first-steps" aria-labelledby="first-steps-heading">
      <h2 id="first-steps-heading">Welcome to Chatalot</h2>
      <p>You are not in a community yet: create one, or join one with an invite link someone sent you.</p>
      <div class="first-steps-cards">
        <section class="card" aria-labelledby="create-community-heading">
          <h3 id="create-community-heading">Create a community</h3>
          <CreateCommunityForm communities={communities} router={router} />
        </section>
        <section class="card" aria-labelledby="join-community-heading">
          <h3 id="join-community-heading">Join with an invite</h3>
          <JoinCommunityForm communities={communities} />
        </section>
      </div>
    </section>
  );
}
