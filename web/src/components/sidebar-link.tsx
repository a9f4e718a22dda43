/**
 * A link in a sidebar list (community, channel, conversation) with its unread
 * badge and, for a person, a presence dot. Both are described in words through
 * aria-describedby, so the link's accessible name is only its name.
 */
import type { ComponentChildren, JSX } from "preact";
import type { ShownStatus } from "../../../protocol/index.ts";
import type { Router } from "../models/router.ts";
import type { UnreadCount } from "../models/unread.ts";
import { PresenceDot, presenceInWords } from "./presence-dot.tsx";
import { UnreadBadge, unreadInWords } from "./unread-badge.tsx";
import { AppLink } from "./app-link.tsx";

interface SidebarLinkProps {
  /** Unique on the page: names the describing element. */
  id: string;
  href: string;
  router: Router;
  isCurrent: boolean;
  class?: string;
  unread?: UnreadCount;
  presence?: ShownStatus;
  /** An avatar or community icon before the name; the presence dot sits on its corner. */
  picture?: ComponentChildren;
  children: ComponentChildren;
  /** Buttons beside the link (a channel's gear and menu), shown on hover and focus. */
  actions?: ComponentChildren;
  /** Attributes and handlers of the row itself: dragging it, its context menu. */
  row?: JSX.HTMLAttributes<HTMLLIElement> & { [data: `data-${string}`]: string };
}

export function SidebarLink({
  id,
  href,
  router,
  isCurrent,
  class: className,
  unread,
  presence,
  picture,
  children,
  actions,
  row,
}: SidebarLinkProps) {
  const words = [presence && presenceInWords(presence), unreadInWords(unread)].filter(Boolean).join(", ");
  const descriptionId = `${id}-description`;
  const classes = [className, unread && unread.unread > 0 ? "has-unread" : ""].filter(Boolean).join(" ");
  return (
    <li {...row} class={[row?.class, actions ? "has-actions" : ""].filter(Boolean).join(" ") || undefined}>
      <AppLink
        href={href}
        router={router}
        class={classes || undefined}
        isCurrent={isCurrent}
        describedBy={words ? descriptionId : undefined}
      >
        {picture ? (
          <span class="avatar-with-status">
            {picture}
            {presence && <PresenceDot status={presence} isDescribedElsewhere />}
          </span>
        ) : (
          presence && <PresenceDot status={presence} isDescribedElsewhere />
        )}
        <span class="link-name">{children}</span>
        <UnreadBadge count={unread} />
      </AppLink>
      {actions && <span class="row-actions">{actions}</span>}
      {words && (
        <span id={descriptionId} hidden>
          {words}
        </span>
      )}
    </li>
  );
}
