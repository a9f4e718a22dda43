/**
 * The chat's side panel: a thread (its first message, its replies and a composer
 * that posts into it) or the channel's pinned messages. Both read the channel's
 * one store of messages, so edits, reactions and new replies show in them live.
 */
import { computed, signal, type Signal } from "@preact/signals";
import type { MessageView } from "../../../protocol/index.ts";
import { describeError } from "./api-client.ts";
import type { MessagePages } from "./message-pages.ts";
import { findBySeq, threadEntries, type TimelineEntry } from "./timeline.ts";

type Panel = { kind: "thread"; rootSeq: number } | { kind: "pins" };

interface SidePanelsDependencies {
  pages: MessagePages;
  entries: Signal<TimelineEntry[]>;
  /** Adds fetched messages to the store; `isInTimeline` false for ones outside the loaded history. */
  merge(messages: readonly MessageView[], isInTimeline: boolean): void | Promise<void>;
}

export function createSidePanels({ pages, entries, merge }: SidePanelsDependencies) {
  const panel = signal<Panel | null>(null);
  const isLoading = signal(false);
  const problem = signal<string | null>(null);
  const threadDraft = signal("");

  async function load(work: () => Promise<void>, what: string) {
    isLoading.value = true;
    problem.value = null;
    try {
      await work();
    } catch (caught) {
      problem.value = `${what} could not be loaded: ${describeError(caught)}`;
    } finally {
      isLoading.value = false;
    }
  }

  const threadRootSeq = computed(() => {
    const open = panel.value;
    return open?.kind === "thread" ? open.rootSeq : null;
  });

  return {
    panel,
    isLoading,
    problem,
    threadDraft,
    threadRootSeq,
    threadRoot: computed(() => {
      const rootSeq = threadRootSeq.value;
      return rootSeq === null ? null : findBySeq(entries.value, rootSeq);
    }),
    threadReplies: computed(() => {
      const rootSeq = threadRootSeq.value;
      return rootSeq === null ? [] : threadEntries(entries.value, rootSeq);
    }),
    /** Newest pin first, as the server lists them. */
    pinned: computed(() =>
      entries.value
        .filter((entry) => entry.pinnedAt !== null && !entry.isDeleted)
        .sort((a, b) => Date.parse(b.pinnedAt!) - Date.parse(a.pinnedAt!)),
    ),
    async openThread(rootSeq: number) {
      if (threadRootSeq.peek() !== rootSeq) threadDraft.value = "";
      panel.value = { kind: "thread", rootSeq };
      await load(async () => {
        const [replies, around] = await Promise.all([
          pages.thread(rootSeq),
          findBySeq(entries.peek(), rootSeq) ? [] : pages.around(rootSeq),
        ]);
        await merge(around, true);
        await merge(replies, false);
      }, "the thread");
    },
    async openPins() {
      panel.value = { kind: "pins" };
      await load(async () => await merge(await pages.pins(), false), "the pinned messages");
    },
    close() {
      panel.value = null;
      problem.value = null;
    },
  };
}

export type SidePanels = ReturnType<typeof createSidePanels>;
