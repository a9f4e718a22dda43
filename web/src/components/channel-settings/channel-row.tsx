/**
 * One channel in the sidebar with, as Discord's: a gear to its settings (for those who
 * may manage channels), a "…" menu (also on right click and Shift+F10) with "Edit
 * channel", "Move up/down" and the notification choices; and, for managers, dragging it
 * elsewhere or Alt+Shift+↑/↓ to move it a step, announced in words.
 */
import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import type { ChannelView } from "../../../../protocol/index.ts";
import type { ChannelAdmin, SidebarGroup } from "../../models/channel-admin.ts";
import { channelPath, channelSettingsPath, type Router } from "../../models/router.ts";
import type { UnreadCount } from "../../models/unread.ts";
import { NotificationMenuItems } from "../notifications/notification-menu.tsx";
import { Icon } from "../shell/icons.tsx";
import { SidebarLink } from "../sidebar-link.tsx";
import { MenuButton, opensMenu } from "./menu-button.tsx";
import { isInLowerHalf, refocus, type SidebarDrag } from "./sidebar-drag.ts";

interface ChannelRowProps {
  channel: ChannelView;
  group: SidebarGroup;
  communityId: string;
  router: Router;
  isCurrent: boolean;
  unread?: UnreadCount;
  /** Null for those who may not manage channels: no gear, no moving. */
  admin: ChannelAdmin | null;
  drag: SidebarDrag;
  children: ComponentChildren;
}

const linkOf = (channelId: string) => `[data-channel-id="${channelId}"] > a`;

export function ChannelRow(props: ChannelRowProps) {
  const { channel, group, communityId, router, admin, drag } = props;
  const isMenuOpen = useSignal(false);
  const settings = channelSettingsPath(communityId, channel.id);
  const title = `#${channel.name}`;

  const step = async (by: -1 | 1) => {
    if (await admin?.stepChannel(channel.id, by)) refocus(linkOf(channel.id));
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (opensMenu(event)) {
      event.preventDefault();
      isMenuOpen.value = true;
      return;
    }
    const by = event.key === "ArrowUp" ? -1 : event.key === "ArrowDown" ? 1 : 0;
    const target = event.target as Element;
    if (!admin || !by || !event.altKey || !event.shiftKey || target.tagName !== "A") return;
    // Ours before the keyboard layer's "next unread channel", but only for a channel reached by
    // keyboard: a link merely clicked keeps the focus too, and there the shortcut means what it always did.
    if (!target.matches(":focus-visible")) return;
    event.preventDefault();
    event.stopPropagation();
    void step(by);
  };

  const onDrop = (event: DragEvent) => {
    const moving = drag.dragged.peek();
    drag.hint.value = null;
    if (!admin || moving?.kind !== "channel") return;
    event.preventDefault();
    if (moving.id === channel.id) return;
    const rest = group.channels.filter((known) => known.id !== moving.id);
    const index = rest.findIndex((known) => known.id === channel.id) + (isInLowerHalf(event) ? 1 : 0);
    void admin.moveChannel(moving.id, { categoryId: group.category?.id ?? null, index });
  };

  const hint = drag.hint.value;
  const hintClass = hint?.id === channel.id ? (hint.isAfter ? "drops-after" : "drops-before") : undefined;

  return (
    <SidebarLink
      id={`channel-${channel.id}`}
      href={channelPath(communityId, channel.id)}
      router={router}
      class={channel.isArchived ? "is-archived" : undefined}
      isCurrent={props.isCurrent}
      unread={props.unread}
      row={{
        "data-channel-id": channel.id,
        class: hintClass,
        draggable: !!admin,
        onKeyDown,
        onContextMenu: (event) => {
          event.preventDefault();
          isMenuOpen.value = true;
        },
        ...(admin && {
          onDragStart: (event: DragEvent) => {
            event.dataTransfer?.setData("text/plain", title);
            if (event.dataTransfer) event.dataTransfer.effectAllowed = "move";
            drag.dragged.value = { kind: "channel", id: channel.id };
          },
          onDragEnd: () => {
            drag.dragged.value = null;
            drag.hint.value = null;
          },
          onDragOver: (event: DragEvent) => {
            if (drag.dragged.peek()?.kind !== "channel") return;
            event.preventDefault();
            const isAfter = isInLowerHalf(event);
            if (hint?.id !== channel.id || hint.isAfter !== isAfter) drag.hint.value = { id: channel.id, isAfter };
          },
          onDrop,
        }),
      }}
      actions={
        <>
          {admin && (
            <a
              href={settings}
              class="icon-button is-small"
              aria-label={`Edit channel ${title}`}
              title="Edit channel"
              onClick={(event) => {
                if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
                event.preventDefault();
                router.navigate(settings);
              }}
            >
              <Icon name="gear" size={16} />
            </a>
          )}
          <MenuButton label={`Options for ${title}`} isOpen={isMenuOpen}>
            {(close) => (
              <ul class="menu" aria-label={`${title} menu`}>
                {admin && (
                  <>
                    <li>
                      <a
                        href={settings}
                        class="menu-item"
                        onClick={(event) => {
                          event.preventDefault();
                          router.navigate(settings);
                        }}
                      >
                        Edit channel
                      </a>
                    </li>
                    <li>
                      <button type="button" class="menu-item" onClick={() => (close(), void step(-1))}>
                        Move up
                      </button>
                    </li>
                    <li>
                      <button type="button" class="menu-item" onClick={() => (close(), void step(1))}>
                        Move down
                      </button>
                    </li>
                  </>
                )}
                <NotificationMenuItems target={{ kind: "channel", id: channel.id, name: title }} close={close} />
              </ul>
            )}
          </MenuButton>
        </>
      }
    >
      {props.children}
    </SidebarLink>
  );
}
