/**
 * Where the app opens: the channel or conversation the person last had open, kept per
 * person in this browser's localStorage (as Discord does); with none (or one in a
 * community they left), their last or first community; else home.
 */
import { useEffect, useRef } from "preact/hooks";
import type { Communities } from "../../models/communities.ts";
import { communityPath, parseRoute, type Router } from "../../models/router.ts";

const keyOf = (userId: string) => `chatalot:last-place:${userId}`;

function remembered(userId: string): string | null {
  try {
    return localStorage.getItem(keyOf(userId));
  } catch {
    return null; // storage turned off: the app opens at home
  }
}

function remember(userId: string, path: string): void {
  try {
    localStorage.setItem(keyOf(userId), path);
  } catch {
    // storage turned off or full: nothing to remember with
  }
}

/** Remembers each channel and conversation opened; on launch at home, opens the last one once the communities are known. */
export function useLaunchPlace(userId: string, router: Router, communities: Communities): void {
  const route = router.route.value;
  const isDecided = useRef(route.name !== "home");
  const isLoaded = !communities.isLoading.value;

  useEffect(() => {
    if (!userId || (route.name !== "channel" && route.name !== "dm")) return;
    remember(userId, location.pathname);
  }, [userId, route]);

  useEffect(() => {
    if (isDecided.current || !isLoaded) return;
    isDecided.current = true;
    if (router.route.peek().name !== "home") return; // the person already went somewhere
    const path = remembered(userId);
    const place = path ? parseRoute(path) : null;
    const known = communities.communities.peek();
    const isStillThere =
      place?.name === "dm" ||
      (place?.name === "channel" && known.some((community) => community.id === place.communityId));
    if (path && isStillThere) return router.replace(path);
    const fallback = communities.selectedId.peek();
    if (fallback) router.replace(communityPath(fallback));
  }, [isLoaded]);
}
