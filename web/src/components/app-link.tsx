/** A link that changes the route without reloading the page; modified clicks still open tabs. */
import type { ComponentChildren } from "preact";
import type { Router } from "../models/router.ts";

interface AppLinkProps {
  href: string;
  router: Router;
  class?: string;
  isCurrent?: boolean;
  /** The id of an element whose text describes the link (unread counts, presence). */
  describedBy?: string;
  children: ComponentChildren;
}

export function AppLink({ href, router, class: className, isCurrent = false, describedBy, children }: AppLinkProps) {
  const onClick = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    router.navigate(href);
  };
  return (
    <a
      href={href}
      class={className}
      aria-current={isCurrent ? "page" : undefined}
      aria-describedby={describedBy}
      onClick={onClick}
    >
      {children}
    </a>
  );
}
