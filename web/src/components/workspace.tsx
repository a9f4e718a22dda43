/** The signed-in layout: the header, then the channels and the open channel, or the security settings. */
import { useModel } from "@preact/signals";
import { ChannelsModel } from "../models/channels.ts";
import type { Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import { ChannelList } from "./channel-list.tsx";
import { ChatView } from "./chat-view.tsx";
import { SecurityPage } from "./security-page.tsx";
import { Topbar } from "./topbar.tsx";

export function Workspace({ session, router }: { session: Session; router: Router }) {
  const channels = useModel(() => new ChannelsModel(session));
  const route = router.route.value;
  if (route.name === "security") {
    return (
      <div class="workspace is-settings">
        <Topbar session={session} router={router} />
        <SecurityPage session={session} />
      </div>
    );
  }
  const openChannelId = route.name === "channel" ? route.channelId : null;
  const isUnknownChannel =
    openChannelId !== null &&
    !channels.isLoading.value &&
    !channels.loadError.value &&
    !channels.channels.value.some((channel) => channel.id === openChannelId);

  return (
    <div class={openChannelId ? "workspace has-open-channel" : "workspace"}>
      <Topbar session={session} router={router} />
      <nav class="sidebar" aria-labelledby="channels-heading">
        <ChannelList channels={channels} router={router} openChannelId={openChannelId} />
      </nav>
      <main class="main">
        {isUnknownChannel ? (
          <p class="placeholder">That channel does not exist, or it was deleted.</p>
        ) : openChannelId ? (
          <ChatView
            key={openChannelId}
            channelId={openChannelId}
            session={session}
            channels={channels}
            router={router}
          />
        ) : (
          <p class="placeholder">Choose a channel, or create one.</p>
        )}
      </main>
    </div>
  );
}
