/** The sidebar's direct conversations, named by who is in them. */
import { conversationName, type DirectMessages } from "../models/direct-messages.ts";
import { dmPath, type Router } from "../models/router.ts";
import { AppLink } from "./app-link.tsx";
import { sentence } from "./sentence.ts";

interface ConversationListProps {
  conversations: DirectMessages;
  router: Router;
  ownUserId: string;
  openChannelId: string | null;
}

export function ConversationList({ conversations, router, ownUserId, openChannelId }: ConversationListProps) {
  const list = conversations.conversations.value;
  const loadError = conversations.loadError.value;
  return (
    <nav class="sidebar-section" aria-labelledby="conversations-heading">
      <h2 id="conversations-heading">Direct messages</h2>
      {loadError && (
        <p class="error" role="alert">
          {sentence(loadError)}
        </p>
      )}
      {list.length > 0 ? (
        <ul class="channel-list">
          {list.map((channel) => (
            <li key={channel.id}>
              <AppLink href={dmPath(channel.id)} router={router} isCurrent={channel.id === openChannelId}>
                {conversationName(channel, ownUserId)}
                {channel.kind === "group_dm" && <span class="tag">group</span>}
              </AppLink>
            </li>
          ))}
        </ul>
      ) : (
        !conversations.isLoading.value &&
        !loadError && <p class="hint">No conversations yet: choose “Message” beside someone in a community.</p>
      )}
    </nav>
  );
}
