/** A link within the admin page: changes the section without reloading; modified clicks still open tabs. */
import type { ComponentChildren } from "preact";
import type { AdminRouter } from "../models/admin-router.ts";

interface AdminLinkProps {
  href: string;
  router: AdminRouter;
  class?: string;
  isCurrent?: boolean;
  children: ComponentChildren;
}

export function AdminLink({ href, router, class: className, isCurrent = false, children }: AdminLinkProps) {
  const onClick = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    router.navigate(href);
  };
  return (
    <a href={href} class={className} aria-current={isCurrent ? "page" : undefined} onClick={onClick}>
      {children}
    </a>
  );
}
