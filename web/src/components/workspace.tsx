/** The signed-in layout: who you are, the channel list, and the open channel. */
import { useModel } from "@preact/signals";
import { ChannelsModel } from "../models/channels.ts";
import type { Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import { ChannelList } from "./channel-list.tsx";
import { ChatView } from "./chat-view.tsx";

export function Workspace({ session, router }: { session: Session; router: Router }) {
  const channels = useModel(() => new ChannelsModel(session));
  const route = router.route.value;
  const openChannelId = route.name === "channel" ? route.channelId : null;
  const isUnknownChannel =
    openChannelId !== null &&
    !channels.isLoading.value &&
    !channels.loadError.value &&
    !channels.channels.value.some((channel) => channel.id === openChannelId);

  return (
    <div class={openChannelId ? "workspace has-open-channel" : "workspace"}>
      <header class="topbar">
        <span class="brand">Chatalot</span>
        <span class="whoami">
          Signed in as <strong>{session.user.value?.username}</strong>
        </span>
        <button type="button" onClick={() => session.signOut()}>
          Sign out
        </button>
      </header>
      <nav class="sidebar" aria-labelledby="channels-heading">
        <ChannelList channels={channels} router={router} openChannelId={openChannelId} />
      </nav>
      <main class="main">
        {isUnknownChannel ? (
          <p class="placeholder">That channel does not exist, or it was deleted.</p>
        ) : openChannelId ? (
          <ChatView key={openChannelId} channelId={openChannelId} session={session} channels={channels} router={router} />
        ) : (
          <p class="placeholder">Choose a channel, or create one.</p>
        )}
      </main>
    </div>
  );
}
