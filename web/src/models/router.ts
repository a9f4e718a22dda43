/**
 * The app's location as a signal. Paths, not hashes: the server answers any
 * extension-less path with index.html, so /communities/<id>/channels/<id> and
 * /join/<code> survive a reload and can be shared.
 */
import { computed, createModel, effect, signal } from "@preact/signals";

export type Route =
  | { name: "home" }
  | { name: "community"; communityId: string }
  | { name: "channel"; communityId: string; channelId: string }
  | { name: "dm"; channelId: string }
  /** A community's settings, one section at a time (web/src/components/community-settings/). */
  | { name: "community-settings"; communityId: string; section: CommunitySettingsSection }
  /** A channel's settings: its overview or its permission overrides (web/src/components/channel-settings/). */
  | { name: "channel-settings"; communityId: string; channelId: string; section: ChannelSettingsSection }
  /** A community invite link: accepted once someone is signed in. */
  | { name: "join"; code: string }
  /** The settings area, one section at a time (web/src/components/settings/). */
  | { name: "settings"; section: SettingsSection }
  | { name: "sign-in" }
  /** A registration invite link is /register?invite=<code>; ?join=<code> carries a community invite through sign-up. */
  | { name: "register"; inviteCode: string | null; joinCode: string | null }
  | { name: "recover" };

const segment = encodeURIComponent;
export const communityPath = (communityId: string) => `/communities/${segment(communityId)}`;
export const channelPath = (communityId: string, channelId: string) =>
  `${communityPath(communityId)}/channels/${segment(channelId)}`;
export const dmPath = (channelId: string) => `/dms/${segment(channelId)}`;
export const joinPath = (code: string) => `/join/${segment(code)}`;
export const registerPath = (joinCode: string | null) =>
  joinCode ? `/register?join=${segment(joinCode)}` : "/register";
/** The settings area's sections, in the order its menu lists them. */
export const SETTINGS_SECTIONS = [
  "profile",
  "appearance",
  "notifications",
  "privacy",
  "encryption",
  "security",
] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];
export const settingsPath = (section: SettingsSection) => `/settings/${section}`;
export const SECURITY_PATH = settingsPath("security");
/** A community's settings sections, in the order its menu lists them. */
export const COMMUNITY_SETTINGS_SECTIONS = ["overview", "roles", "members", "invites", "bans", "audit-log"] as const;
export type CommunitySettingsSection = (typeof COMMUNITY_SETTINGS_SECTIONS)[number];
export const communitySettingsPath = (communityId: string, section: CommunitySettingsSection = "overview") =>
  `${communityPath(communityId)}/settings/${section}`;
export const CHANNEL_SETTINGS_SECTIONS = ["overview", "permissions"] as const;
export type ChannelSettingsSection = (typeof CHANNEL_SETTINGS_SECTIONS)[number];
export const channelSettingsPath = (
  communityId: string,
  channelId: string,
  section: ChannelSettingsSection = "overview",
) => `${channelPath(communityId, channelId)}/settings/${section}`;

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

/** Each path shape and the route it names, tried in order. */
const PATTERNS: [RegExp, (parts: string[]) => Route][] = [
  [/^\/communities\/([^/]+)$/, ([communityId]) => ({ name: "community", communityId: communityId! })],
  [
    /^\/communities\/([^/]+)\/channels\/([^/]+)$/,
    ([communityId, channelId]) => ({ name: "channel", communityId: communityId!, channelId: channelId! }),
  ],
  [
    /^\/communities\/([^/]+)\/settings\/([a-z-]+)$/,
    ([communityId, section]) =>
      isOneOf(COMMUNITY_SETTINGS_SECTIONS, section!)
        ? { name: "community-settings", communityId: communityId!, section }
        : { name: "community", communityId: communityId! },
  ],
  [
    /^\/communities\/([^/]+)\/channels\/([^/]+)\/settings\/([a-z-]+)$/,
    ([communityId, channelId, section]) =>
      isOneOf(CHANNEL_SETTINGS_SECTIONS, section!)
        ? { name: "channel-settings", communityId: communityId!, channelId: channelId!, section }
        : { name: "channel", communityId: communityId!, channelId: channelId! },
  ],
  [/^\/dms\/([^/]+)$/, ([channelId]) => ({ name: "dm", channelId: channelId! })],
  [/^\/join\/([^/]+)$/, ([code]) => ({ name: "join", code: code!.trim() })],
];

export function parseRoute(path: string, search = ""): Route {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  const query = new URLSearchParams(search);
  if (trimmed === "/settings") return { name: "settings", section: "profile" };
  const settings = /^\/settings\/([a-z]+)$/.exec(trimmed);
  if (settings && isOneOf(SETTINGS_SECTIONS, settings[1]!)) return { name: "settings", section: settings[1] };
  switch (trimmed) {
    case "/sign-in":
      return { name: "sign-in" };
    case "/register":
      return {
        name: "register",
        inviteCode: query.get("invite")?.trim() || null,
        joinCode: query.get("join")?.trim() || null,
      };
    case "/recover":
      return { name: "recover" };
  }
  for (const [pattern, toRoute] of PATTERNS) {
    const match = pattern.exec(trimmed);
    if (match) {
      try {
        return toRoute(match.slice(1).map(decodeURIComponent));
      } catch {
        return { name: "home" }; // a malformed %-escape
      }
    }
  }
  return { name: "home" };
}

/** Pages for visitors; a signed-in user who lands on one is shown the home page. */
export const isVisitorRoute = (route: Route) =>
  route.name === "sign-in" || route.name === "register" || route.name === "recover";

/** The community a route is in, if it names one. */
export const routeCommunityId = (route: Route): string | null =>
  route.name === "community" ||
  route.name === "channel" ||
  route.name === "community-settings" ||
  route.name === "channel-settings"
    ? route.communityId
    : null;

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
