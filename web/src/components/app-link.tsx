/** A link that changes the route without reloading the page; modified clicks still open tabs. */
import type { ComponentChildren } from "preact";
import type { Router } from "../models/router.ts";

interface AppLinkProps {
  href: string;
  router: Router;
  class?: string;
  isCurrent?: boolean;
  children: ComponentChildren;
}

export function AppLink({ href, router, class: className, isCurrent = false, children }: AppLinkProps) {
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
