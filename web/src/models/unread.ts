/**
 * Unread and mention counts for the sidebar's badges. The counts come from
 * /api/unread (the server counts others' messages after the person's read
 * position); the account socket says when they may have changed: activity in a
 * channel, a read on another device, a reconnect. The open channel shows no
 * badge: its chat marks it read as messages arrive.
 */
import { computed, createModel, effect, signal } from "@preact/signals";
import type { UnreadView } from "../../../protocol/index.ts";
import type { AccountEvents } from "./account-events.ts";
import { describeError } from "./api-client.ts";
import { latestOnly } from "./latest-only.ts";
import type { Router } from "./router.ts";
import type { Session } from "./session.ts";

/** Activity comes in bursts (one frame per channel per 250 ms): one fetch answers a burst. */
const REFRESH_DELAY_MS = 300;

export interface UnreadCount {
  unread: number;
  mentions: number;
}

const NOTHING: UnreadCount = { unread: 0, mentions: 0 };

export const UnreadModel = createModel((session: Session, events: AccountEvents, router: Router) => {
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

  return {
    loadError,
    /** Per channel, with the open channel at zero. */
    counts: computed((): ReadonlyMap<string, UnreadCount> => {
      const open = openChannelId.value;
      return new Map(
        [...counts.value].map(([channelId, view]) => [channelId, channelId === open ? NOTHING : view] as const),
      );
    }),
    /** Summed per community, for the communities list. */
    byCommunity: computed((): ReadonlyMap<string, UnreadCount> => {
      const open = openChannelId.value;
      const sums = new Map<string, UnreadCount>();
      for (const view of counts.value.values()) {
        if (view.communityId === null || view.channelId === open) continue;
        const sum = sums.get(view.communityId) ?? NOTHING;
        sums.set(view.communityId, { unread: sum.unread + view.unread, mentions: sum.mentions + view.mentions });
      }
      return sums;
    }),
    hasUnread: computed(() =>
      [...counts.value.values()].some((view) => view.unread > 0 && view.channelId !== openChannelId.value),
    ),
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
