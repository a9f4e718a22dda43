/**
 * What the keyboard shortcuts do (models/keyboard-shortcuts.ts says which keys):
 * which dialog is open (the quick switcher or the shortcuts list), moving to the
 * previous or next channel or unread channel, and marking the open channel or its
 * community read. A sentence for screen readers says what happened when nothing
 * visible did ("no unread channels").
 */
import { createModel, signal } from "@preact/signals";
import type { UnreadView } from "../../../protocol/index.ts";
import { describeError } from "./api-client.ts";
import type { Communities } from "./communities.ts";
import type { Community } from "./community.ts";
import type { DirectMessages } from "./direct-messages.ts";
import {
  everyPlace,
  nearestUnread,
  neighbour,
  orderedChannels,
  placePath,
  sidebarPlaces,
  type Direction,
} from "./keyboard-navigation.ts";
import { QuickSwitcherDirectoryModel, type QuickSwitcherDirectory } from "./quick-switcher-directory.ts";
import { communityPath, dmPath, routeCommunityId, type Router } from "./router.ts";
import type { Session } from "./session.ts";
import type { Unread } from "./unread.ts";

export type KeyboardDialog = "switcher" | "shortcuts";

/** Esc again on the same channel within this long marks nothing more. */
const MARK_AGAIN_AFTER_MS = 3_000;

export interface KeyboardSources {
  session: Session;
  router: Router;
  communities: Communities;
  conversations: DirectMessages;
  unread: Unread;
  /** The community the sidebar shows, read when a key is pressed. */
  community: () => Community | null;
}

/**
 * The workspace remounts its layout per community; the directory of every
 * community's channels lives as long as the communities model, not one layout.
 */
const directories = new WeakMap<Communities, QuickSwitcherDirectory>();

export function directoryFor(session: Session, communities: Communities): QuickSwitcherDirectory {
  let directory = directories.get(communities);
  if (!directory) directories.set(communities, (directory = new QuickSwitcherDirectoryModel(session, communities)));
  return directory;
}

export const KeyboardModel = createModel((sources: KeyboardSources) => {
  const { session, router, communities, conversations, unread } = sources;
  const dialog = signal<KeyboardDialog | null>(null);
  /** The last thing a shortcut did that shows nowhere else, for the live region. */
  const announcement = signal("");
  const directory = directoryFor(session, communities);

  const openChannelId = () => {
    const route = router.route.peek();
    return route.name === "channel" || route.name === "dm" ? route.channelId : null;
  };

  /** The shown community's channels: its own model is the freshest, the directory knows the others. */
  const channelsOf = (communityId: string) => {
    const community = sources.community();
    if (community?.community.peek()?.id === communityId) return orderedChannels(community.groups.peek());
    return directory.channelsOf(communityId);
  };

  function goToChannel(direction: Direction): void {
    // As the sidebar: a community's channels inside one, the conversations at home.
    const communityId = routeCommunityId(router.route.peek());
    const places = sidebarPlaces(communityId ? (channelsOf(communityId) ?? []) : conversations.conversations.peek());
    const place = neighbour(places, openChannelId(), direction);
    if (place) router.navigate(placePath(place));
  }

  async function goToUnread(direction: Direction): Promise<void> {
    // The first jump lists every community's channels; later ones use that list.
    await directory.refresh();
    const counts = unread.counts.peek();
    const places = everyPlace(conversations.conversations.peek(), communities.communities.peek(), channelsOf);
    const place = nearestUnread(places, openChannelId(), direction, counts);
    if (place) router.navigate(placePath(place));
    else announcement.value = "No other channel has unread messages.";
  }

  function goToCommunity(direction: Direction): void {
    const list = communities.communities.peek();
    const index = list.findIndex((community) => community.id === communities.selectedId.peek());
    const step = direction === "next" ? 1 : -1;
    const next = list[(index + step + list.length) % list.length];
    if (next) router.navigate(communityPath(next.id));
  }

  /** When each channel or community was last marked read from the keyboard. */
  const markedAt = new Map<string, number>();

  /**
   * Moves the read position of each channel `which` picks to its newest message. Esc is
   * pressed for many things: the same target is marked at most once every few seconds,
   * so a flurry of Escapes costs no more than one (unread counts are rate limited).
   */
  async function markRead(target: string, which: (view: UnreadView) => boolean, done: string): Promise<void> {
    if (Date.now() - (markedAt.get(target) ?? 0) < MARK_AGAIN_AFTER_MS) return;
    markedAt.set(target, Date.now());
    try {
      const answer = await session.request<{ channels: UnreadView[] }>("/api/unread");
      const behind = answer.channels.filter((view) => which(view) && view.lastReadSeq < view.lastSeq);
      await Promise.all(
        behind.map((view) =>
          session.request(`/api/channels/${encodeURIComponent(view.channelId)}/read`, {
            method: "PUT",
            body: { seq: view.lastSeq },
          }),
        ),
      );
      // The HTTP read tells no account socket (the room's read frame does): the badges are read again here.
      await unread.load();
      announcement.value = done;
    } catch (caught) {
      announcement.value = `Could not mark read: ${describeError(caught)}`;
    }
  }

  /** The channel marked read, if one is open. */
  function markChannelRead(): string | null {
    const channelId = openChannelId();
    if (channelId) void markRead(channelId, (view) => view.channelId === channelId, "Marked the channel read.");
    return channelId;
  }

  function markCommunityRead(): void {
    const communityId = routeCommunityId(router.route.peek());
    if (communityId)
      void markRead(communityId, (view) => view.communityId === communityId, "Marked the community read.");
  }

  return {
    dialog,
    announcement,
    directory,
    open(which: KeyboardDialog) {
      if (which === "switcher") void directory.refresh();
      dialog.value = which;
    },
    close() {
      dialog.value = null;
    },
    goToChannel,
    goToUnread: (direction: Direction) => void goToUnread(direction),
    goToCommunity,
    markChannelRead,
    markCommunityRead,
    /** A person with no conversation yet: starts one, as the member list's "Message" does. */
    async messagePerson(userId: string): Promise<void> {
      const channel = await conversations.open([userId]);
      if (channel) router.navigate(dmPath(channel.id));
      else announcement.value = `Could not open the conversation: ${conversations.opening.error.peek() ?? "try again"}`;
    },
  };
});

export type Keyboard = InstanceType<typeof KeyboardModel>;
