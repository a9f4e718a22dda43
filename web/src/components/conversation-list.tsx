/**
 * The sidebar's direct conversations, named by who is in them (or a group's name),
 * with the other person's presence and unread badges; a "+" to start a DM or group
 * DM, and each conversation's menu (direct/conversation-row.tsx) with its dialogs.
 */
import { useModel, useSignal } from "@preact/signals";
import type { AccountEvents } from "../models/account-events.ts";
import { ConversationAdminModel } from "../models/conversation-admin.ts";
import { conversationName, type DirectMessages } from "../models/direct-messages.ts";
import type { Encryption } from "../models/encryption/encryption.ts";
import type { Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import type { Unread } from "../models/unread.ts";
import { Avatar } from "./avatar.tsx";
import { ConversationRow } from "./direct/conversation-row.tsx";
import { AddPeopleDialog, LeaveGroupDialog, RenameGroupDialog, type GroupDialogKind } from "./direct/group-dialogs.tsx";
import { NewConversationDialog } from "./direct/new-conversation-dialog.tsx";
import "./direct/direct.css";
import { sentence } from "./sentence.ts";
import { Icon } from "./shell/icons.tsx";

interface ConversationListProps {
  session: Session;
  conversations: DirectMessages;
  encryption: Encryption;
  router: Router;
  events: AccountEvents;
  unread: Unread;
  ownUserId: string;
  openChannelId: string | null;
}

export function ConversationList(props: ConversationListProps) {
  const { session, conversations, router, events, unread, ownUserId, openChannelId } = props;
  const admin = useModel(() => new ConversationAdminModel(session, conversations, props.encryption));
  const isStarting = useSignal(false);
  const dialog = useSignal<{ kind: GroupDialogKind; channelId: string } | null>(null);
  const list = conversations.conversations.value;
  const loadError = conversations.loadError.value;
  const statuses = events.statuses.value;
  const counts = unread.counts.value;
  const shown = dialog.value && list.find((channel) => channel.id === dialog.value!.channelId);
  const closeDialog = () => (dialog.value = null);

  return (
    <nav class="sidebar-body" aria-labelledby="conversations-heading">
      <div class="sidebar-header">
        <h2 id="conversations-heading">Direct messages</h2>
        <button
          type="button"
          class="icon-button is-small"
          aria-label="New message"
          title="New message"
          aria-haspopup="dialog"
          onClick={() => (isStarting.value = true)}
        >
          <Icon name="plus" size={16} />
        </button>
      </div>
      {loadError && (
        <div class="sidebar-hint stack">
          <p class="error" role="alert">
            {sentence(loadError)}
          </p>
          <button type="button" onClick={() => void conversations.load()}>
            Try again
          </button>
        </div>
      )}
      {list.length > 0 ? (
        <ul class="channel-list">
          {list.map((channel) => {
            const other =
              channel.kind === "dm" ? channel.participants?.find((person) => person.userId !== ownUserId) : null;
            const title = conversationName(channel, ownUserId);
            return (
              <ConversationRow
                key={channel.id}
                channel={channel}
                title={title}
                session={session}
                router={router}
                ownUserId={ownUserId}
                openDialog={(kind) => (dialog.value = { kind, channelId: channel.id })}
                isCurrent={channel.id === openChannelId}
                unread={counts.get(channel.id)}
                presence={other ? (statuses.get(other.userId) ?? "offline") : undefined}
                picture={
                  // A group conversation: its name's initials, on a colour of its own.
                  <Avatar
                    name={other?.username ?? title}
                    id={other?.userId ?? channel.id}
                    url={other?.avatarUrl}
                    size="small"
                    isDecorative
                  />
                }
              >
                {channel.kind === "group_dm" ? (
                  <span class="conversation-name">
                    <span class="conversation-title">{title}</span>
                    <span class="conversation-members">{membersInWords(channel.participants?.length ?? 0)}</span>
                  </span>
                ) : (
                  title
                )}
              </ConversationRow>
            );
          })}
        </ul>
      ) : (
        !conversations.isLoading.value &&
        !loadError && <p class="hint sidebar-hint">No conversations yet: choose “+” to message someone.</p>
      )}
      {isStarting.value && (
        <NewConversationDialog
          session={session}
          conversations={conversations}
          router={router}
          onClose={() => (isStarting.value = false)}
        />
      )}
      {shown && dialog.value?.kind === "rename" && (
        <RenameGroupDialog
          admin={admin}
          channel={shown}
          title={conversationName(shown, ownUserId)}
          onClose={closeDialog}
        />
      )}
      {shown && dialog.value?.kind === "add" && (
        <AddPeopleDialog
          admin={admin}
          channel={shown}
          title={conversationName(shown, ownUserId)}
          session={session}
          onClose={closeDialog}
        />
      )}
      {shown && dialog.value?.kind === "leave" && (
        <LeaveGroupDialog
          admin={admin}
          channel={shown}
          title={conversationName(shown, ownUserId)}
          onClose={closeDialog}
          onLeft={() => {
            closeDialog();
            if (shown.id === openChannelId) router.navigate("/");
          }}
        />
      )}
    </nav>
  );
}

/** A group's size under its name, as Discord's: "3 members". */
const membersInWords = (count: number) => (count === 1 ? "1 member" : `${count} members`);
