/**
 * Where Alt+↑/↓ and Alt+Shift+↑/↓ go: the channels in the order the sidebar lists
 * them (direct conversations, then each community's channels by category and
 * position), the neighbour of the open one, and the nearest one with something
 * unread. Pure functions over what the models already hold.
 */
import type { ChannelView, CommunityView } from "../../../protocol/index.ts";
import type { ChannelGroup } from "./community.ts";
import { channelPath, dmPath } from "./router.ts";
import type { UnreadCount } from "./unread.ts";

/** A channel or conversation one can open. */
export interface Place {
  channelId: string;
  communityId: string | null;
}

export type Direction = "previous" | "next";

export const placePath = (place: Place) =>
  place.communityId ? channelPath(place.communityId, place.channelId) : dmPath(place.channelId);

/** A community's channels as its sidebar lists them: category by category, each by position. */
export function orderedChannels(groups: readonly ChannelGroup[]): ChannelView[] {
  return groups.flatMap((group) => group.channels);
}

const placeOf = (channel: ChannelView): Place => ({ channelId: channel.id, communityId: channel.communityId });

/**
 * Alt+↑/↓'s list: what the sidebar shows, a community's text channels (voice
 * channels are for joining a call, not reading) or, at home, the conversations.
 */
export function sidebarPlaces(listed: readonly ChannelView[]): Place[] {
  return listed.filter((channel) => channel.kind !== "voice").map(placeOf);
}

/**
 * Alt+Shift+↑/↓'s list: every place the person can read, conversations first, then
 * each community's channels in the communities list's order.
 */
export function everyPlace(
  conversations: readonly ChannelView[],
  communities: readonly CommunityView[],
  channelsOf: (communityId: string) => readonly ChannelView[] | undefined,
): Place[] {
  return [...conversations, ...communities.flatMap((community) => channelsOf(community.id) ?? [])].map(placeOf);
}

/** The place before or after the open one, round the end; from nowhere, the first or the last. */
export function neighbour(places: readonly Place[], openId: string | null, direction: Direction): Place | null {
  if (places.length === 0) return null;
  const index = places.findIndex((place) => place.channelId === openId);
  const step = direction === "next" ? 1 : -1;
  if (index === -1) return direction === "next" ? places[0]! : places[places.length - 1]!;
  return places[(index + step + places.length) % places.length]!;
}

/** The nearest place with unread messages in that direction, round the end; the open one never counts. */
export function nearestUnread(
  places: readonly Place[],
  openId: string | null,
  direction: Direction,
  counts: ReadonlyMap<string, UnreadCount>,
): Place | null {
  const count = places.length;
  const open = places.findIndex((place) => place.channelId === openId);
  // From nowhere, "next" starts at the first place and "previous" at the last.
  const origin = open !== -1 ? open : direction === "next" ? -1 : count;
  const step = direction === "next" ? 1 : -1;
  for (let offset = 1; offset <= count; offset++) {
    const place = places[(((origin + step * offset) % count) + count) % count]!;
    const unread = counts.get(place.channelId);
    if (place.channelId !== openId && unread && unread.unread + unread.mentions > 0) return place;
  }
  return null;
}
