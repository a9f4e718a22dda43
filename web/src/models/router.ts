/**
 * The app's location as a signal. Paths, not hashes: the server answers any
 * extension-less path with index.html, so /channels/<id> survives a reload.
 */
import { computed, createModel, effect, signal } from "@preact/signals";

export type Route = { name: "home" } | { name: "channel"; channelId: string };

export const channelPath = (channelId: string) => `/channels/${encodeURIComponent(channelId)}`;

export function parseRoute(path: string): Route {
  const match = /^\/channels\/([^/]+)\/?$/.exec(path);
  return match?.[1] ? { name: "channel", channelId: decodeURIComponent(match[1]) } : { name: "home" };
}

export const RouterModel = createModel(() => {
  const path = signal(location.pathname);
  const route = computed(() => parseRoute(path.value));

  effect(() => {
    const onPopState = () => (path.value = location.pathname);
    addEventListener("popstate", onPopState);
    return () => removeEventListener("popstate", onPopState);
  });

  return {
    route,
    navigate(to: string) {
      if (to !== location.pathname) history.pushState(null, "", to);
      path.value = to;
    },
  };
});

export type Router = InstanceType<typeof RouterModel>;
