/**
 * One conversation in the sidebar with its "…" menu (also on right click and
 * Shift+F10), as Discord's: for a group, rename, add people and leave; for a 1:1
 * DM, block or unblock the other person; for both, the notification choices.
 */
import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import type { ChannelView, ShownStatus } from "../../../../protocol/index.ts";
import { dmPath, type Router } from "../../models/router.ts";
import type { Session } from "../../models/session.ts";
import type { UnreadCount } from "../../models/unread.ts";
import { MenuButton, opensMenu } from "../channel-settings/menu-button.tsx";
import { NotificationMenuItems } from "../notifications/notification-menu.tsx";
import { BlockButton } from "../people/block-button.tsx";
import { SidebarLink } from "../sidebar-link.tsx";
import type { GroupDialogKind } from "./group-dialogs.tsx";

interface ConversationRowProps {
  channel: ChannelView;
  /** The conversation's name as the reader sees it. */
  title: string;
  session: Session;
  router: Router;
  ownUserId: string;
  /** Opens one of the group's dialogs (the list draws them, outside the row). */
  openDialog: (kind: GroupDialogKind) => void;
  isCurrent: boolean;
  unread?: UnreadCount;
  presence?: ShownStatus;
  picture: ComponentChildren;
  children: ComponentChildren;
}

export function ConversationRow(props: ConversationRowProps) {
  const { channel, title, session, router, ownUserId } = props;
  const isMenuOpen = useSignal(false);
  const isGroup = channel.kind === "group_dm";
  const other = isGroup ? null : channel.participants?.find((person) => person.userId !== ownUserId);
  const show = (kind: GroupDialogKind, close: () => void) => {
    close();
    props.openDialog(kind);
  };

  return (
    <SidebarLink
      id={`conversation-${channel.id}`}
      href={dmPath(channel.id)}
      router={router}
      isCurrent={props.isCurrent}
      unread={props.unread}
      presence={props.presence}
      picture={props.picture}
      row={{
        "data-conversation-id": channel.id,
        onKeyDown: (event) => {
          if (!opensMenu(event)) return;
          event.preventDefault();
          isMenuOpen.value = true;
        },
        onContextMenu: (event) => {
          event.preventDefault();
          isMenuOpen.value = true;
        },
      }}
      actions={
        <MenuButton label={`Options for ${title}`} isOpen={isMenuOpen}>
          {(close) => (
            <ul class="menu" aria-label={`${title} menu`}>
              {isGroup && (
                <>
                  <li>
                    <button type="button" class="menu-item" onClick={() => show("rename", close)}>
                      Rename group
                    </button>
                  </li>
                  <li>
                    <button type="button" class="menu-item" onClick={() => show("add", close)}>
                      Add people
                    </button>
                  </li>
                  <li>
                    <button type="button" class="menu-item is-danger" onClick={() => show("leave", close)}>
                      Leave group
                    </button>
                  </li>
                </>
              )}
              {other && (
                <li>
                  <BlockButton
                    session={session}
                    userId={other.userId}
                    name={other.username}
                    class="menu-item"
                    onDone={close}
                  />
                </li>
              )}
              <NotificationMenuItems
                target={{ kind: "channel", id: channel.id, name: title, isDirect: true }}
                close={close}
              />
            </ul>
          )}
        </MenuButton>
      }
    >
      {props.children}
    </SidebarLink>
  );
}
