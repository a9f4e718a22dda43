/** The sidebar's direct conversations, named by who is in them, with the other person's presence and unread badges. */
import type { AccountEvents } from "../models/account-events.ts";
import { conversationName, type DirectMessages } from "../models/direct-messages.ts";
import { dmPath, type Router } from "../models/router.ts";
import type { Unread } from "../models/unread.ts";
import { Avatar } from "./avatar.tsx";
import { sentence } from "./sentence.ts";
import { SidebarLink } from "./sidebar-link.tsx";

interface ConversationListProps {
  conversations: DirectMessages;
  router: Router;
  events: AccountEvents;
  unread: Unread;
  ownUserId: string;
  openChannelId: string | null;
}

export function ConversationList({
  conversations,
  router,
  events,
  unread,
  ownUserId,
  openChannelId,
}: ConversationListProps) {
  const list = conversations.conversations.value;
  const loadError = conversations.loadError.value;
  const statuses = events.statuses.value;
  const counts = unread.counts.value;
  return (
    <nav class="sidebar-body" aria-labelledby="conversations-heading">
      <h2 id="conversations-heading" class="sidebar-header">
        Direct messages
      </h2>
      {loadError && (
        <p class="error sidebar-hint" role="alert">
          {sentence(loadError)}
        </p>
      )}
      {list.length > 0 ? (
        <ul class="channel-list">
          {list.map((channel) => {
            const other =
              channel.kind === "dm" ? channel.participants?.find((person) => person.userId !== ownUserId) : null;
            return (
              <SidebarLink
                key={channel.id}
                id={`conversation-${channel.id}`}
                href={dmPath(channel.id)}
                router={router}
                isCurrent={channel.id === openChannelId}
                unread={counts.get(channel.id)}
                presence={other ? (statuses.get(other.userId) ?? "offline") : undefined}
                picture={
                  // A group conversation: its name's initials, on a colour of its own.
                  <Avatar
                    name={other?.username ?? conversationName(channel, ownUserId)}
                    id={other?.userId ?? channel.id}
                    url={other?.avatarUrl}
                    size="small"
                    isDecorative
                  />
                }
              >
                {conversationName(channel, ownUserId)}
                {channel.kind === "group_dm" && <span class="tag">group</span>}
              </SidebarLink>
            );
          })}
        </ul>
      ) : (
        !conversations.isLoading.value &&
        !loadError && (
          <p class="hint sidebar-hint">No conversations yet: choose “Message” beside someone in a community.</p>
        )
      )}
    </nav>
  );
}
