/**
 * The rail at the far left, as Discord's: the home button (direct messages), each
 * community as its icon (initials until it has one) with a pill when something in it
 * is unread and a count of mentions, and below them creating or joining one. A
 * community's name shows beside its icon on hover and focus, and is the link's name.
 */
import type { ComponentChildren } from "preact";
import type { Communities } from "../models/communities.ts";
import { communityPath, type Router } from "../models/router.ts";
import type { Unread, UnreadCount } from "../models/unread.ts";
import { AppLink } from "./app-link.tsx";
import { Avatar } from "./avatar.tsx";
import { CreateCommunityForm } from "./create-community-form.tsx";
import { JoinCommunityForm } from "./join-community-form.tsx";
import { sentence } from "./sentence.ts";
import { Icon } from "./shell/icons.tsx";
import { Popover } from "./shell/popover.tsx";
import { unreadInWords } from "./unread-badge.tsx";

interface CommunityListProps {
  communities: Communities;
  router: Router;
  unread: Unread;
  /** Whether the home page (direct messages) is what the sidebar shows. */
  isHome: boolean;
}

export function CommunityList({ communities, router, unread, isHome }: CommunityListProps) {
  const list = communities.communities.value;
  const counts = unread.byCommunity.value;
  const selectedId = isHome ? null : communities.selectedId.value;
  const loadError = communities.loadError.value;

  return (
    <nav class="rail" aria-labelledby="communities-heading">
      <h2 id="communities-heading" class="visually-hidden">
        Communities
      </h2>
      <ul class="rail-list">
        <RailItem href="/" router={router} isCurrent={isHome} id="home" name="Direct messages">
          <span class="rail-home">
            <Icon name="home" size={26} />
          </span>
        </RailItem>
      </ul>
      {unread.hasUnread.value && (
        <button type="button" class="rail-button mark-all-read" onClick={() => void unread.markAllRead()}>
          <Icon name="check" />
          <span class="rail-name">Mark all read</span>
        </button>
      )}
      <hr class="rail-separator" />
      {loadError && (
        <p class="error rail-error" role="alert">
          {sentence(loadError)}
        </p>
      )}
      {list.length > 0 && (
        <ul class="rail-list">
          {list.map((community) => (
            <RailItem
              key={community.id}
              id={`community-${community.id}`}
              href={communityPath(community.id)}
              router={router}
              isCurrent={community.id === selectedId}
              unread={counts.get(community.id)}
              name={community.name}
            >
              <Avatar
                name={community.name}
                id={community.id}
                url={community.iconUrl}
                size="large"
                shape="square"
                isDecorative
              />
            </RailItem>
          ))}
        </ul>
      )}
      <Popover
        label="Create a community"
        button={<Icon name="plus" size={24} />}
        buttonClass="rail-button is-action"
        placement="end"
      >
        {() => <CreateCommunityForm communities={communities} router={router} />}
      </Popover>
      <Popover
        label="Join with an invite"
        button={<Icon name="compass" size={24} />}
        buttonClass="rail-button is-action"
        placement="end"
      >
        {() => <JoinCommunityForm communities={communities} />}
      </Popover>
    </nav>
  );
}

interface RailItemProps {
  id: string;
  href: string;
  router: Router;
  isCurrent: boolean;
  name: string;
  unread?: UnreadCount;
  children: ComponentChildren;
}

/** One icon on the rail: its name (shown on hover and focus), its unread pill and mention count. */
function RailItem({ id, href, router, isCurrent, name, unread, children }: RailItemProps) {
  const words = unreadInWords(unread);
  const hasUnread = !!unread && unread.unread > 0;
  const mentions = unread?.mentions ?? 0;
  return (
    <li class={["rail-item", hasUnread ? "has-unread" : ""].filter(Boolean).join(" ")}>
      <AppLink href={href} router={router} isCurrent={isCurrent} describedBy={words ? `${id}-description` : undefined}>
        {children}
        <span class="rail-name">{name}</span>
        {mentions > 0 && (
          <span class="rail-mentions" aria-hidden="true">
            {mentions > 99 ? "99+" : mentions}
          </span>
        )}
      </AppLink>
      {words && (
        <span id={`${id}-description`} hidden>
          {words}
        </span>
      )}
    </li>
  );
}
