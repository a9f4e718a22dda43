/**
 * Everything the quick switcher can open, across every community the person is
 * in: each community's channels and members, read once per community when the
 * switcher (or an Alt+Shift jump) first needs them and again when older than a
 * minute, two requests per community (`GET /api/communities/:id/channels` and
 * `…/members`). Direct conversations and unread counts come from their own models.
 */
import { computed, createModel, signal } from "@preact/signals";
import type { CategoryView, ChannelView, CommunityView, MemberView } from "../../../protocol/index.ts";
import { describeError } from "./api-client.ts";
import type { Communities } from "./communities.ts";
import { groupChannels } from "./community.ts";
import { conversationName } from "./direct-messages.ts";
import { orderedChannels } from "./keyboard-navigation.ts";
import type { Session } from "./session.ts";
import type { UnreadCount } from "./unread.ts";

/** Lists this fresh are shown as they are; older ones are read again when the switcher opens. */
const FRESH_FOR_MS = 60_000;

interface CommunityDirectory {
  channels: ChannelView[];
  members: MemberView[];
  readAt: number;
}

/** One row of the switcher. */
export interface Destination {
  /** Unique among the rows. */
  key: string;
  kind: "channel" | "voice" | "dm" | "group" | "person";
  name: string;
  /** The community a channel is in; null for conversations and people. */
  communityName: string | null;
  communityId: string | null;
  /** Null for a person one has no conversation with yet. */
  channelId: string | null;
  /** The person of a 1:1 conversation or a person row: picks the avatar. */
  userId: string | null;
  avatarUrl: string | null;
  unread: number;
  mentions: number;
}

export const QuickSwitcherDirectoryModel = createModel((session: Session, communities: Communities) => {
  const byCommunity = signal<ReadonlyMap<string, CommunityDirectory>>(new Map());
  const loadError = signal<string | null>(null);
  const isLoading = signal(false);

  async function readCommunity(community: CommunityView): Promise<CommunityDirectory> {
    const path = `/api/communities/${encodeURIComponent(community.id)}`;
    const [layout, roster] = await Promise.all([
      session.request<{ categories: CategoryView[]; channels: ChannelView[] }>(`${path}/channels`),
      session.request<{ members: MemberView[] }>(`${path}/members`),
    ]);
    const channels = orderedChannels(groupChannels(layout.categories, layout.channels));
    return { channels, members: roster.members, readAt: Date.now() };
  }

  let reading: Promise<void> | null = null;

  /** Reads the communities not read in the last minute; one that fails keeps what was read before. */
  function refresh(): Promise<void> {
    reading ??= readStale().finally(() => (reading = null));
    return reading;
  }

  async function readStale(): Promise<void> {
    const known = byCommunity.peek();
    const stale = communities.communities
      .peek()
      .filter((community) => (known.get(community.id)?.readAt ?? 0) < Date.now() - FRESH_FOR_MS);
    if (stale.length === 0) return;
    isLoading.value = true;
    const answers = await Promise.allSettled(stale.map(readCommunity));
    const next = new Map(byCommunity.peek());
    const failures: string[] = [];
    answers.forEach((answer, index) => {
      if (answer.status === "fulfilled") next.set(stale[index]!.id, answer.value);
      else failures.push(`${stale[index]!.name}: ${describeError(answer.reason)}`);
    });
    byCommunity.value = next;
    loadError.value = failures.length > 0 ? `some channels could not be listed (${failures.join("; ")})` : null;
    isLoading.value = false;
  }

  return {
    loadError,
    isLoading,
    refresh,
    /** A community's channels in sidebar order, once read. */
    channelsOf: (communityId: string): readonly ChannelView[] | undefined =>
      byCommunity.value.get(communityId)?.channels,
    /** Everyone the person shares a community with, once, themselves left out. */
    people: computed((): MemberView[] => {
      const ownUserId = session.user.value?.id;
      const seen = new Map<string, MemberView>();
      for (const directory of byCommunity.value.values())
        for (const member of directory.members) if (member.userId !== ownUserId) seen.set(member.userId, member);
      return [...seen.values()];
    }),
  };
});

export type QuickSwitcherDirectory = InstanceType<typeof QuickSwitcherDirectoryModel>;

interface DestinationSources {
  ownUserId: string;
  communities: readonly CommunityView[];
  channelsOf: (communityId: string) => readonly ChannelView[] | undefined;
  conversations: readonly ChannelView[];
  people: readonly MemberView[];
  counts: ReadonlyMap<string, UnreadCount>;
}

/** The switcher's rows in sidebar order: conversations, then each community's channels, then people. */
export function destinationsOf(sources: DestinationSources): Destination[] {
  const { ownUserId, counts } = sources;
  const countOf = (channelId: string) => counts.get(channelId) ?? { unread: 0, mentions: 0 };
  const rows: Destination[] = [];
  const talkedWith = new Set<string>();
  for (const channel of sources.conversations) {
    const other = channel.kind === "dm" ? channel.participants?.find((person) => person.userId !== ownUserId) : null;
    if (other) talkedWith.add(other.userId);
    rows.push({
      key: channel.id,
      kind: channel.kind === "group_dm" ? "group" : "dm",
      name: conversationName(channel, ownUserId),
      communityName: null,
      communityId: null,
      channelId: channel.id,
      userId: other?.userId ?? null,
      avatarUrl: other?.avatarUrl ?? null,
      ...countOf(channel.id),
    });
  }
  for (const community of sources.communities) {
    for (const channel of sources.channelsOf(community.id) ?? []) {
      rows.push({
        key: channel.id,
        kind: channel.kind === "voice" ? "voice" : "channel",
        name: channel.name,
        communityName: community.name,
        communityId: community.id,
        channelId: channel.id,
        userId: null,
        avatarUrl: null,
        ...countOf(channel.id),
      });
    }
  }
  // Someone with a conversation already is that conversation's row.
  for (const person of sources.people) {
    if (talkedWith.has(person.userId)) continue;
    rows.push({
      key: `person-${person.userId}`,
      kind: "person",
      name: person.username,
      communityName: null,
      communityId: null,
      channelId: null,
      userId: person.userId,
      avatarUrl: person.avatarUrl,
      unread: 0,
      mentions: 0,
    });
  }
  return rows;
}
