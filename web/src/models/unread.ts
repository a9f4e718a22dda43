/**
 * Unread and mention counts for the sidebar's badges. The counts come from
 * /api/unread (the server counts others' messages after the person's read
 * position); the account socket says when they may have changed: activity in a
 * channel, a read on another device, a reconnect. The open channel shows no
 * badge: its chat marks it read as messages arrive. A muted channel (or one in a
 * muted community) is quiet: no counts, only a grey mark that something is new, and
 * it adds nothing to its community's badge or the tab's title.
 */
import { computed, createModel, effect, signal } from "@preact/signals";
import type { UnreadView } from "../../../protocol/index.ts";
import type { AccountEvents } from "./account-events.ts";
import { describeError } from "./api-client.ts";
import { latestOnly } from "./latest-only.ts";
import type { Place } from "./notifications/notification-settings.ts";
import type { Router } from "./router.ts";
import type { Session } from "./session.ts";

/** Activity comes in bursts (one frame per channel per 250 ms): one fetch answers a burst. */
const REFRESH_DELAY_MS = 300;

export interface UnreadCount {
  unread: number;
  mentions: number;
  /** Muted, with something new: shown as a grey mark without a count. */
  isQuiet?: boolean;
}

const NOTHING: UnreadCount = { unread: 0, mentions: 0 };
const QUIET: UnreadCount = { unread: 0, mentions: 0, isQuiet: true };

/** Whether a channel is muted now (read inside computeds: a change of mutes recounts). */
export type IsMuted = (place: Place) => boolean;

export const UnreadModel = createModel((session: Session, events: AccountEvents, router: Router, isMuted?: IsMuted) => {
  const counts = signal<ReadonlyMap<string, UnreadView>>(new Map());
  const loadError = signal<string | null>(null);
  /** The furthest read position heard per channel: a fetch answered before a read arrived must not undo it. */
  const readUpTo = new Map<string, number>();
  const nextLoad = latestOnly();
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;

  const openChannelId = computed(() => {
    const route = router.route.value;
    return route.name === "channel" || route.name === "dm" ? route.channelId : null;
  });

  async function load(): Promise<void> {
    const isLatest = nextLoad();
    try {
      const answer = await session.request<{ channels: UnreadView[] }>("/api/unread");
      if (!isLatest()) return;
      counts.value = new Map(answer.channels.map((view) => [view.channelId, withReads(view)]));
      loadError.value = null;
    } catch (caught) {
      if (isLatest()) loadError.value = `unread counts could not be loaded: ${describeError(caught)}`;
    }
  }

  const withReads = (view: UnreadView): UnreadView =>
    (readUpTo.get(view.channelId) ?? 0) >= view.lastSeq ? { ...view, unread: 0, mentions: 0 } : view;

  function refreshSoon(): void {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void load(), REFRESH_DELAY_MS);
  }

  function read(channelId: string, seq: number): void {
    readUpTo.set(channelId, Math.max(readUpTo.get(channelId) ?? 0, seq));
    const view = counts.peek().get(channelId);
    if (!view) return refreshSoon();
    const next = new Map(counts.peek());
    next.set(channelId, withReads({ ...view, lastReadSeq: Math.max(view.lastReadSeq, seq) }));
    counts.value = next;
    // Read part of the way: only the server can say how many are left.
    if (seq < view.lastSeq) refreshSoon();
  }

  void load();
  effect(() =>
    events.listen((news) => {
      if (news.type === "read") read(news.channelId, news.seq);
      // One's own messages are never unread: activity of only one's own sends changes nothing.
      else if (news.type === "activity" && news.senderIds.every((senderId) => senderId === session.user.peek()?.id))
        return;
      else if (news.type === "activity" || news.type === "reconnected" || news.type === "changed") refreshSoon();
    }),
  );
  effect(() => () => clearTimeout(refreshTimer));

  const isQuiet = (view: UnreadView) => isMuted?.(view) ?? false;
  /** What a channel's badge shows: nothing when open, a grey mark when muted. */
  const shownCount = (view: UnreadView): UnreadCount =>
    view.channelId === openChannelId.value ? NOTHING : isQuiet(view) ? (view.unread > 0 ? QUIET : NOTHING) : view;

  return {
    loadError,
    /** Per channel as the server counts them, the open one too, the muted ones left out: for the tab's title. */
    views: computed((): readonly UnreadView[] => [...counts.value.values()].filter((view) => !isQuiet(view))),
    /** Per channel, with the open channel at zero and muted ones quiet. */
    counts: computed(
      (): ReadonlyMap<string, UnreadCount> =>
        new Map([...counts.value].map(([channelId, view]) => [channelId, shownCount(view)] as const)),
    ),
    /** Summed per community, for the communities list (a community with only muted news is quiet). */
    byCommunity: computed((): ReadonlyMap<string, UnreadCount> => {
      const sums = new Map<string, UnreadCount>();
      for (const view of counts.value.values()) {
        const shown = shownCount(view);
        if (view.communityId === null || (shown.unread === 0 && shown.mentions === 0 && !shown.isQuiet)) continue;
        const sum = sums.get(view.communityId) ?? QUIET;
        const unread = sum.unread + shown.unread;
        const mentions = sum.mentions + shown.mentions;
        sums.set(view.communityId, unread + mentions > 0 ? { unread, mentions } : QUIET);
      }
      return sums;
    }),
    hasUnread: computed(() => [...counts.value.values()].some((view) => shownCount(view).unread > 0)),
    /** The community a channel belongs to, as the counts say (null: a conversation, or not listed). */
    communityOf: (channelId: string): string | null => counts.value.get(channelId)?.communityId ?? null,
    load,
    async markAllRead(): Promise<void> {
      try {
        await session.request<null>("/api/unread/mark-all-read", { method: "POST" });
        for (const view of counts.peek().values()) read(view.channelId, view.lastSeq);
      } catch (caught) {
        loadError.value = `could not mark everything read: ${describeError(caught)}`;
      }
    },
  };
});

export type Unread = InstanceType<typeof UnreadModel>;
