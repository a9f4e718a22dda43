/**
 * The signed-in layout: the header; the sidebar with the user's communities,
 * direct conversations and the selected community; and the open channel,
 * conversation or invite, or the security settings instead of all that. The
 * account socket (presence, unread news, changed lists) lives as long as the
 * signed-in page, whichever of these shows.
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
import { ChatView } from "./chat-view.tsx";
import { CommunityHome } from "./community-home.tsx";
import { CommunityList } from "./community-list.tsx";
import { CommunityPanel } from "./community-panel.tsx";
import { EncryptionBanner } from "./encryption-banner.tsx";
import { ConversationList } from "./conversation-list.tsx";
import { JoinView } from "./join-view.tsx";
import { KeyboardLayer } from "./keyboard/keyboard-layer.tsx";
import { SettingsPage } from "./settings/settings-page.tsx";
import { sentence } from "./sentence.ts";
import { Topbar } from "./topbar.tsx";
import { VoiceChannelView } from "./calls/voice-channel-view.tsx";
import { VoiceConnectedBar } from "./calls/voice-connected-bar.tsx";
import { IncomingCallBar } from "./calls/incoming-call-bar.tsx";

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
}

export function Workspace({ session, router }: WorkspaceProps) {
  const events = useModel(() => new AccountEventsModel(session));
  const unread = useModel(() => new UnreadModel(session, events, router));
  const communities = useModel(() => new CommunitiesModel(session, router, events));
  const conversations = useModel(() => new DirectMessagesModel(session, events));
  const encryption = useModel(() => new EncryptionModel(session, events));
  const calls = useModel(() => new CallsModel(session, events, encryption));
  // DM calls: the ringing bar (on every page, settings too) and the records the caller posts.
  const incomingCalls = useModel(() => new IncomingCallsModel(session, calls, conversations, router));
  const callRecords = useModel(() => new CallRecordsModel(session, encryption, calls));
  const route = router.route.value;
  if (route.name === "settings") {
    return (
      <div class="workspace is-settings">
        <Topbar session={session} router={router} events={events} />
        <IncomingCallBar incoming={incomingCalls} />
        <SettingsPage
          session={session}
          router={router}
          section={route.section}
          encryption={encryption}
          events={events}
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
  // On a phone one pane shows at a time: these routes are about the main pane, not the lists.
  const isPaneOpen = route.name === "channel" || route.name === "dm" || route.name === "join";

  return (
    <div class={isPaneOpen ? "workspace has-open-channel" : "workspace"}>
      <Topbar session={session} router={router} events={events} />
      <IncomingCallBar incoming={props.incomingCalls} />
      <div class="sidebar">
        {unread.hasUnread.value && (
          <button type="button" class="small mark-all-read" onClick={() => void unread.markAllRead()}>
            Mark all read
          </button>
        )}
        {unread.loadError.value && <p class="hint">{sentence(unread.loadError.value)}</p>}
        <CommunityList communities={communities} router={router} unread={unread} />
        <ConversationList
          conversations={conversations}
          router={router}
          events={events}
          unread={unread}
          ownUserId={ownUserId}
          openChannelId={openChannelId}
        />
        {community && communityId ? (
          <CommunityPanel
            community={community}
            communityId={communityId}
            conversations={conversations}
            events={events}
            unread={unread}
            router={router}
            ownUserId={ownUserId}
            openChannelId={openChannelId}
            calls={props.calls}
          />
        ) : (
          <section class="sidebar-section" aria-labelledby="channels-heading">
            <h2 id="channels-heading">Channels</h2>
            <p class="hint">A community’s channels show here once you are in one.</p>
          </section>
        )}
        <VoiceConnectedBar calls={props.calls} router={router} />
      </div>
      <KeyboardLayer
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
      return <JoinView communities={communities} router={router} />;
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
      return (
        <p class="placeholder">
          {communities.communities.value.length > 0 || conversations.conversations.value.length > 0
            ? "Choose a channel or a conversation."
            : "Welcome to Chatalot. Create a community, or join one with an invite link someone sent you."}
        </p>
      );
  }
}
