/**
 * Leaving the settings for where the person was. The settings take one history entry
 * (sections replace it), so the entry before is that place: go back to it when it is
 * this app's (the Navigation API tells; Chromium and Safari have it), else go home.
 */
import type { Router } from "../../models/router.ts";

interface NavigationEntryLike {
  url: string | null;
  index: number;
}
interface NavigationLike {
  currentEntry: NavigationEntryLike | null;
  entries(): NavigationEntryLike[];
}

export function previousPlace(): URL | null {
  const navigation = (window as { navigation?: NavigationLike }).navigation;
  const current = navigation?.currentEntry;
  if (!navigation || !current || current.index < 1) return null;
  const previous = navigation.entries()[current.index - 1]?.url;
  return previous ? new URL(previous) : null;
}

export function closeSettings(router: Router): void {
  const previous = previousPlace();
  if (previous && previous.origin === location.origin && !previous.pathname.startsWith("/settings")) history.back();
  else router.navigate("/");
}
