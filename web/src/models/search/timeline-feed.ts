/**
 * The open channel's timeline, as the chat model holds it, handed to the search
 * index: every message that arrives, is edited or is deleted there reaches the index
 * at once, already decrypted, with no request of its own. One feed per page: the
 * chat publishes, the search engine of the signed-in person listens.
 */
import { untracked } from "@preact/signals";
import type { TimelineEntry } from "../timeline.ts";

type Listener = (channelId: string, entries: readonly TimelineEntry[]) => void;

const listeners = new Set<Listener>();

/** Called by the chat model whenever its entries change. */
export function publishTimeline(channelId: string, entries: readonly TimelineEntry[]): void {
  // Listeners read signals of their own: the chat's effect must not start following them.
  untracked(() => {
    for (const listener of listeners) listener(channelId, entries);
  });
}

/** Calls `listener` with each change of an open channel's entries until the returned function is called. */
export function listenToTimelines(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
