/**
 * Moving through a channel's history: the newest page, older pages, filling a
 * hole left by a jump, and jumping to one message (loading the page around it
 * when it is not loaded, opening its thread when it is a thread's reply); how far
 * the person had read when the channel opened (where the "New" divider goes); an
 * edited message's earlier versions.
 */
import { computed, signal, type ReadonlySignal, type Signal } from "@preact/signals";
import type { MessageView } from "../../../protocol/index.ts";
import { describeError } from "./api-client.ts";
import type { MessagePages } from "./message-pages.ts";
import { findBySeq, type TimelineEntry } from "./timeline.ts";

/** Messages not read when the channel opened: seqs after `afterSeq`, up to `upToSeq`. */
export interface UnreadSpan {
  afterSeq: number;
  upToSeq: number;
}

interface HistoryBrowsingDependencies {
  pages: MessagePages;
  entries: ReadonlySignal<TimelineEntry[]>;
  bounds: ReadonlySignal<{ oldest: number; newest: number } | null>;
  /** Adds a page of the channel's continuous history to the store. */
  merge(messages: readonly MessageView[]): void | Promise<void>;
  openThread(rootSeq: number): void;
  problem: Signal<string | null>;
}

export function createHistoryBrowsing(dependencies: HistoryBrowsingDependencies) {
  const { pages, entries, bounds, problem } = dependencies;
  const isLoading = signal(false);
  /** The message to bring into view (a new object each time, so jumping twice to one message works). */
  const highlighted = signal<{ seq: number } | null>(null);
  /**
   * The messages not read when the channel opened: seqs after `afterSeq` up to `upToSeq`
   * (null: none, unknown, or put behind). Messages arriving while the channel is open are not "new".
   */
  const unreadAtOpen = signal<UnreadSpan | null>(null);
  let readPosition: Promise<void> | null = null;
  /** Read once, before the first page is merged: the read marker moves it as soon as messages show. */
  const learnReadPosition = () =>
    (readPosition ??= pages.readPosition().then(
      (position) => {
        if (position && position.lastSeq > position.lastReadSeq)
          unreadAtOpen.value = { afterSeq: position.lastReadSeq, upToSeq: position.lastSeq };
      },
      // Without it there is no "New" divider; the messages still show.
      () => undefined,
    ));

  async function load(page: () => Promise<MessageView[]>, what: string): Promise<boolean> {
    isLoading.value = true;
    try {
      await dependencies.merge(await page());
      return true;
    } catch (caught) {
      problem.value = `${what} could not be loaded: ${describeError(caught)}`;
      return false;
    } finally {
      isLoading.value = false;
    }
  }

  return {
    isLoading,
    highlighted,
    /** Whether messages older than the loaded ones exist (seqs start at 1 and have no holes). */
    hasOlder: computed(() => (bounds.value?.oldest ?? 1) > 1),
    unreadAtOpen,
    /** "Mark as read": the "New" divider and its bar go. */
    putUnreadBehind() {
      unreadAtOpen.value = null;
    },
    loadNewest: () => load(async () => (await Promise.all([pages.newest(), learnReadPosition()]))[0], "the history"),
    /** An edited message's earlier payloads, oldest first (sealed as they were sent). */
    versionsOf: (seq: number) => pages.versions(seq),
    async loadOlder(): Promise<void> {
      const oldest = bounds.peek()?.oldest;
      if (oldest !== undefined && !isLoading.peek()) await load(() => pages.before(oldest), "older messages");
    },
    /** Fills a hole in the loaded history (left by jumping to an older message). */
    async loadAfter(seq: number): Promise<void> {
      if (!isLoading.peek()) await load(() => pages.after(seq), "the messages in between");
    },
    async jumpTo(seq: number): Promise<void> {
      const isLoaded = findBySeq(entries.peek(), seq)?.isInTimeline ?? false;
      if (!isLoaded && !(await load(() => pages.around(seq), "that message"))) return;
      const target = findBySeq(entries.peek(), seq);
      if (!target) {
        problem.value = "that message is no longer in this channel";
        return;
      }
      if (target.threadRootSeq !== null) dependencies.openThread(target.threadRootSeq);
      highlighted.value = { seq };
    },
  };
}
