/**
 * The people and places search names resolve to (`from:alice`, `in:#general`,
 * `in:bob`): every community's channels and members as the quick switcher's
 * directory reads them, the person's conversations, and the person themself. The
 * community on screen comes first when two communities have a channel of one name.
 */
import { computed, type ReadonlySignal } from "@preact/signals";
import type { Communities } from "../communities.ts";
import { conversationName, type DirectMessages } from "../direct-messages.ts";
import { directoryFor } from "../keyboard.ts";
import { routeCommunityId, type Router } from "../router.ts";
import type { Session } from "../session.ts";
import type { SearchDirectory, SearchPerson, SearchPlace } from "./search-parser.ts";

export interface SearchDirectorySources {
  session: Session;
  router: Router;
  communities: Communities;
  conversations: DirectMessages;
}

export function searchDirectoryOf(sources: SearchDirectorySources): {
  directory: ReadonlySignal<SearchDirectory>;
  refresh(): Promise<void>;
} {
  const { session, router, communities, conversations } = sources;
  const lists = directoryFor(session, communities);
  const directory = computed((): SearchDirectory => {
    const own = session.user.value;
    const people = new Map<string, SearchPerson>();
    if (own) people.set(own.id, { userId: own.id, username: own.username, displayName: own.displayName });
    for (const member of lists.people.value) people.set(member.userId, member);
    const places: SearchPlace[] = [];
    for (const channel of conversations.conversations.value) {
      const others = (channel.participants ?? []).filter((person) => person.userId !== own?.id);
      for (const person of channel.participants ?? [])
        if (!people.has(person.userId)) people.set(person.userId, person);
      places.push({
        channelId: channel.id,
        name: conversationName(channel, own?.id ?? ""),
        kind: channel.kind === "group_dm" ? "group" : "dm",
        communityId: null,
        communityName: null,
        personId: channel.kind === "dm" ? (others[0]?.userId ?? null) : null,
      });
    }
    for (const community of communities.communities.value)
      for (const channel of lists.channelsOf(community.id) ?? [])
        if (channel.kind !== "voice")
          places.push({
            channelId: channel.id,
            name: channel.name,
            kind: "channel",
            communityId: community.id,
            communityName: community.name,
            personId: null,
          });
    const mapped = [...people.values()].map(({ userId, username, displayName }) => ({ userId, username, displayName }));
    return { people: mapped, places, currentCommunityId: routeCommunityId(router.route.value) };
  });
  return { directory, refresh: () => lists.refresh() };
}
