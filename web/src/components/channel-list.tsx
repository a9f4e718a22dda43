/** The sidebar: every channel as a link, and the form that creates one. */
import type { Channels } from "../models/channels.ts";
import { channelPath, type Router } from "../models/router.ts";
import { AppLink } from "./app-link.tsx";
import { CreateChannelForm } from "./create-channel-form.tsx";
import { sentence } from "./sentence.ts";

interface ChannelListProps {
  channels: Channels;
  router: Router;
  openChannelId: string | null;
}

export function ChannelList({ channels, router, openChannelId }: ChannelListProps) {
  const list = channels.channels.value;
  const loadError = channels.loadError.value;
  return (
    <>
      <h2 id="channels-heading">Channels</h2>
      {loadError && (
        <p class="error" role="alert">
          {sentence(loadError)}
        </p>
      )}
      {list.length > 0 ? (
        <ul class="channel-list">
          {list.map((channel) => (
            <li key={channel.id}>
              <AppLink href={channelPath(channel.id)} router={router} isCurrent={channel.id === openChannelId}>
                #{channel.name}
              </AppLink>
            </li>
          ))}
        </ul>
      ) : (
        !channels.isLoading.value && !loadError && <p class="hint">No channels yet: create the first one.</p>
      )}
      <CreateChannelForm channels={channels} router={router} />
    </>
  );
}
