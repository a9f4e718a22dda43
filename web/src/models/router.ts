/**
 * The app's location as a signal. Paths, not hashes: the server answers any
 * extension-less path with index.html, so /channels/<id> survives a reload.
 */
import { computed, createModel, effect, signal } from "@preact/signals";

export type Route =
  | { name: "home" }
  | { name: "channel"; channelId: string }
  | { name: "security" }
  | { name: "sign-in" }
  /** An invite link is /register?invite=<code>. */
  | { name: "register"; inviteCode: string | null }
  | { name: "recover" };

export const channelPath = (channelId: string) => `/channels/${encodeURIComponent(channelId)}`;
export const SECURITY_PATH = "/settings/security";

export function parseRoute(path: string, search = ""): Route {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  switch (trimmed) {
    case SECURITY_PATH:
      return { name: "security" };
    case "/sign-in":
      return { name: "sign-in" };
    case "/register":
      return { name: "register", inviteCode: new URLSearchParams(search).get("invite")?.trim() || null };
    case "/recover":
      return { name: "recover" };
  }
  const match = /^\/channels\/([^/]+)$/.exec(trimmed);
  return match?.[1] ? { name: "channel", channelId: decodeURIComponent(match[1]) } : { name: "home" };
}

/** Pages for visitors; a signed-in user who lands on one is shown the home page. */
export const isVisitorRoute = (route: Route) =>
  route.name === "sign-in" || route.name === "register" || route.name === "recover";

export const RouterModel = createModel(() => {
  const current = signal({ path: location.pathname, search: location.search });
  const route = computed(() => parseRoute(current.value.path, current.value.search));

  effect(() => {
    const onPopState = () => (current.value = { path: location.pathname, search: location.search });
    addEventListener("popstate", onPopState);
    return () => removeEventListener("popstate", onPopState);
  });

  function go(to: string, isReplacing: boolean) {
    const url = new URL(to, location.href);
    if (url.pathname + url.search !== location.pathname + location.search) {
      if (isReplacing) history.replaceState(null, "", url);
      else history.pushState(null, "", url);
    }
    current.value = { path: url.pathname, search: url.search };
  }

  return {
    route,
    navigate: (to: string) => go(to, false),
    /** Without a history entry: for leaving a page the back button should not return to (an invite link, a sign-in form). */
    replace: (to: string) => go(to, true),
  };
});

export type Router = InstanceType<typeof RouterModel>;
